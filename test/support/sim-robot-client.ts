export interface RobotCall {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A bare HTTP caller for the Robot simulator's tests: Basic auth, form-encoded bodies. */
export class SimRobotClient {
  constructor(
    readonly endpoint: string,
    private readonly user: string,
    private readonly password: string,
  ) {}

  async call(
    method: string,
    path: string,
    form?: Record<string, string | readonly string[]> | string,
    credentials: { user: string; password: string } | null = { user: this.user, password: this.password },
  ): Promise<RobotCall> {
    const headers: Record<string, string> = {};
    if (credentials !== null)
      headers.Authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
    let body: string | undefined;
    if (form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = typeof form === 'string' ? form : encode(form);
    }
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }
}

function encode(form: Record<string, string | readonly string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const item of typeof value === 'string' ? [value] : value) params.append(name, item);
  }
  return params.toString();
}
