import { isCloudError } from '../../ports/cloud-errors.js';
import type { RemediationHealth } from './conditions.js';

const LOCKED_RETRY_MS = 5_000;
const UNAUTHORIZED_RETRY_MS = 60_000;
const RATE_LIMIT_RETRY_MS = 30_000;

/**
 * Cloud API answers that are a state to show rather than an error to back off from: the token
 * refused, the rate limit, another action running on the server. Anything else is rethrown.
 */
export function cloudTrouble(
  error: unknown,
): { readonly health: RemediationHealth; readonly retryAfterMs: number } | undefined {
  if (isCloudError(error, 'unauthorized'))
    return {
      health: { token: { problem: 'invalid', message: 'wrong hcloud token' } },
      retryAfterMs: UNAUTHORIZED_RETRY_MS,
    };
  if (isCloudError(error, 'rate_limit_exceeded'))
    return {
      health: { rateLimited: `rate limit of the Hetzner Cloud API exceeded: ${error.message}` },
      retryAfterMs: error.retryAfterMs ?? RATE_LIMIT_RETRY_MS,
    };
  if (isCloudError(error, 'locked')) return { health: {}, retryAfterMs: LOCKED_RETRY_MS };
  return undefined;
}
