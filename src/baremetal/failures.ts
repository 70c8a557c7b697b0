import { isRobotError } from '../ports/robot-errors.js';
import { hostConditionFalse, provisionReasons } from './reasons.js';
import type { HostStepContext, HostStepResult } from './step-context.js';

/**
 * The handling every host state shares for an error a handler did not handle itself: wrong
 * Robot credentials → no retry until the secret changes; Robot's hourly limit used up → look
 * again when it allows; anything else → error with backoff (its message lands in errorMessage).
 */
export function hostResultOfThrown(error: unknown, ctx: HostStepContext): HostStepResult {
  if (isRobotError(error, 'ROBOT_UNAUTHORIZED')) {
    const message = `Robot credentials rejected: ${error.message}`;
    return {
      kind: 'blocked',
      message,
      changes: {
        conditions: [hostConditionFalse(provisionReasons.RobotCredentialsInvalid, message, 'Error')],
      },
    };
  }
  if (isRobotError(error, 'ROBOT_RATE_LIMITED') && error.retryAfterMs !== undefined) {
    const message = `Robot rate limit reached: ${error.message}`;
    return {
      kind: 'continue',
      after: Math.max(error.retryAfterMs, ctx.settings.requeue.immediateMs),
      message,
      changes: { conditions: [hostConditionFalse(provisionReasons.RobotRateLimited, message)] },
    };
  }
  return { kind: 'error', cause: error };
}
