import { waitFor } from '../../sim/process/wait-for.js';

export interface CloudCall {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/**
 * A bare HTTP caller for the Cloud simulator's tests: it shows status, headers and body as
 * sent on the wire (the product's client lives in src/hetzner and is tested on its own).
 */
export class SimCloudClient {
  constructor(
    readonly endpoint: string,
    private readonly token: string,
  ) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = this.token,
  ): Promise<CloudCall> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  /** Polls `GET /actions/{id}` until the action is no longer running; returns it. */
  async waitForAction(action: unknown, deadlineMs = 10_000): Promise<Record<string, unknown>> {
    const id = (action as { id: number }).id;
    return waitFor(
      async () => {
        const { body } = await this.call('GET', `/actions/${id}`);
        const current = body.action as Record<string, unknown>;
        return current.status === 'running' ? undefined : current;
      },
      { deadlineMs, description: `action ${id} to finish` },
    );
  }

  async server(id: number): Promise<Record<string, unknown>> {
    return (await this.call('GET', `/servers/${id}`)).body.server as Record<string, unknown>;
  }
}
