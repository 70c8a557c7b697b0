/** An answer of the Cloud API's error envelope (hetzner-apis.md A2), thrown by handlers. */
export class CloudError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }

  static notFound(what = 'entity'): CloudError {
    return new CloudError(404, 'not_found', `${what} not found`);
  }

  static invalidInput(message: string, fields: readonly { name: string; messages: string[] }[]): CloudError {
    return new CloudError(422, 'invalid_input', message, { fields });
  }

  static invalidField(name: string, problem: string): CloudError {
    return CloudError.invalidInput(`invalid input in field '${name}'`, [{ name, messages: [problem] }]);
  }

  static locked(): CloudError {
    return new CloudError(423, 'locked', 'cannot perform operation because server is locked');
  }

  static uniqueness(field: string, message: string): CloudError {
    return new CloudError(409, 'uniqueness_error', message, { fields: [{ name: field }] });
  }

  envelope(): { error: { code: string; message: string; details: unknown } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
