/** An answer in the Robot error envelope (hetzner-apis.md B2), which carries `status` too. */
export class RobotError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  static invalidInput(missing: readonly string[] | null, invalid: readonly string[] | null): RobotError {
    return new RobotError(400, 'INVALID_INPUT', 'invalid input', { missing, invalid });
  }

  static serverNotFound(id: string): RobotError {
    return new RobotError(404, 'SERVER_NOT_FOUND', `Server with id ${id.slice(0, 40)} not found`);
  }

  envelope(): { error: Record<string, unknown> } {
    return { error: { status: this.status, code: this.code, message: this.message, ...this.extra } };
  }
}
