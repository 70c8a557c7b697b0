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

  static locked(): CloudErrorResponse {
    return new CloudErrorResponse(423, 'locked', 'cannot perform operation because server is locked');
  }

  static uniqueness(field: string, message: string): CloudErrorResponse {
    return new CloudErrorResponse(409, 'uniqueness_error', message, { fields: [{ name: field }] });
  }

  envelope(): { error: { code: string; message: string; details: unknown } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
