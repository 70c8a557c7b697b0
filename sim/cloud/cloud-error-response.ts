/**
 * An error answer the Cloud simulator sends: route handlers throw it, `cloud-api.ts` writes it in
 * the Cloud API's error envelope (docs.hetzner.cloud, "Errors"). Not the client's `CloudError`.
 */
export class CloudErrorResponse extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }

  static notFound(what = 'entity'): CloudErrorResponse {
    return new CloudErrorResponse(404, 'not_found', `${what} not found`);
  }

  static invalidInput(
    message: string,
    fields: readonly { name: string; messages: string[] }[],
  ): CloudErrorResponse {
    return new CloudErrorResponse(422, 'invalid_input', message, { fields });
  }

  static invalidField(name: string, problem: string): CloudErrorResponse {
    return CloudErrorResponse.invalidInput(`invalid input in field '${name}'`, [
      { name, messages: [problem] },
    ]);
  }

  /** `what` is the resource the request names, e.g. `server`, `load balancer`. */
  static locked(what = 'server'): CloudErrorResponse {
    return new CloudErrorResponse(423, 'locked', `cannot perform operation because ${what} is locked`);
  }

  static protected(what: string): CloudErrorResponse {
    return new CloudErrorResponse(423, 'protected', `${what} is delete protected`);
  }

  /** A rule of the operation was broken; `code` is the operation's documented error code. */
  static unprocessable(code: string, message: string): CloudErrorResponse {
    return new CloudErrorResponse(422, code, message);
  }

  static uniqueness(field: string, message: string): CloudErrorResponse {
    return new CloudErrorResponse(409, 'uniqueness_error', message, { fields: [{ name: field }] });
  }

  envelope(): { error: { code: string; message: string; details: unknown } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
