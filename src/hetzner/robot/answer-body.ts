import { RobotError } from '../../ports/robot-errors.js';
import { BodyTooLargeError, readBoundedText } from '../../util/bounded-body.js';
import { maxAnswerBytes } from './transport-options.js';

/**
 * Reads an answer's body as JSON, at most `maxAnswerBytes` of it: undefined when it is empty or
 * not JSON (a proxy's HTML error page, say). A body larger than that is refused, not buffered.
 * Errors while reading (a connection cut mid-body) reject as they came, for the caller to
 * classify like any network error.
 */
export async function readAnswerBody(response: Response, operation: string): Promise<unknown> {
  const text = (
    await readBoundedText(response, maxAnswerBytes).catch((error: unknown) => {
      if (!(error instanceof BodyTooLargeError)) throw error;
      throw new RobotError(
        'ROBOT_UNEXPECTED_RESPONSE',
        `robot ${operation}: answer larger than ${maxAnswerBytes} bytes (HTTP ${response.status})`,
        { httpStatus: response.status },
      );
    })
  ).trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
