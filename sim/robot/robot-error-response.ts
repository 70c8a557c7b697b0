/**
 * An error answer the Robot simulator sends: route handlers throw it, `robot-api.ts` writes it in
 * Robot's error envelope, which carries `status` too (Robot webservice docs, "Errors"). Not the
 * client's `RobotError`.
 */
export class RobotErrorResponse extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  static invalidInput(
    missing: readonly string[] | null,
    invalid: readonly string[] | null,
  ): RobotErrorResponse {
    return new RobotErrorResponse(400, 'INVALID_INPUT', 'invalid input', { missing, invalid });
  }

  static serverNotFound(id: string): RobotErrorResponse {
    return new RobotErrorResponse(404, 'SERVER_NOT_FOUND', `Server with id ${id.slice(0, 40)} not found`);
  }

  envelope(): { error: Record<string, unknown> } {
    return { error: { status: this.status, code: this.code, message: this.message, ...this.extra } };
  }
}
