/** Errors the engine itself raises, with stable codes. */
export type StateMachineErrorCode =
  /** A handler asked for a transition its state's table entry does not allow (a bug). */
  'INVALID_TRANSITION';

export class StateMachineError extends Error {
  override readonly name = 'StateMachineError';

  constructor(
    readonly code: StateMachineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isStateMachineError(error: unknown): error is StateMachineError {
  return error instanceof StateMachineError;
}
