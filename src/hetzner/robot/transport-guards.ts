import { RobotError } from '../../ports/robot-errors.js';
import type { RobotEndpoint } from './robot-endpoints.js';

/**
 * The webservice root without a trailing slash. It must be plain http(s) without user info:
 * credentials go in the `Authorization` header only, and fetch would echo a URL's user info
 * in its own error. The message never repeats the URL, which may hold them.
 */
export function checkedEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new RobotError('ROBOT_INVALID_INPUT', 'robot: the endpoint is not a URL');
  }
  if (url.username !== '' || url.password !== '')
    throw new RobotError(
      'ROBOT_INVALID_INPUT',
      'robot: the endpoint URL must not contain credentials; pass the user and password separately',
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new RobotError('ROBOT_INVALID_INPUT', `robot: the endpoint must be http(s), not ${url.protocol}`);
  if (url.search !== '' || url.hash !== '')
    throw new RobotError('ROBOT_INVALID_INPUT', 'robot: the endpoint must not have a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

/**
 * A call given up because the endpoint's limit allows the next request only after longer
 * than the caller waits. `answered` is Robot's 403 when there was one, else the budget
 * refused on its own (nothing was sent).
 */
export function rateLimitedError(
  operation: string,
  endpoint: RobotEndpoint,
  waitMs: number,
  answered: RobotError | undefined,
): RobotError {
  const seconds = Math.ceil(waitMs / 1000);
  const why =
    answered === undefined
      ? `not sent: the hourly request limit of ${endpoint.method} ${endpoint.path} is used up`
      : `failed: Robot answered 403 RATE_LIMIT_EXCEEDED for ${endpoint.method} ${endpoint.path}`;
  return new RobotError(
    'ROBOT_RATE_LIMITED',
    `robot ${operation} ${why}; next request allowed in ${seconds} s`,
    {
      retryAfterMs: waitMs,
      ...(answered === undefined ? {} : { apiCode: 'RATE_LIMIT_EXCEEDED', httpStatus: 403 }),
    },
  );
}
