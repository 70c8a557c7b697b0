import { timingSafeEqual } from 'node:crypto';
import { RobotErrorResponse } from './robot-error-response.js';

export interface IpLockPolicy {
  /** Failed logins from one address before it is blocked (3, Robot docs). */
  readonly failures: number;
  /** How long the block lasts (10 minutes, Robot docs). */
  readonly lockMs: number;
}

/**
 * HTTP Basic auth of the Robot webservice user; wrong credentials answer 401 `UNAUTHORIZED`,
 * and repeated failures block the source address for a while, as the real service does.
 */
export class RobotAuth {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    private readonly user: string,
    private readonly password: string,
    private readonly lock: IpLockPolicy | false,
    private readonly now: () => number = Date.now,
  ) {}

  check(authorization: string | undefined, address: string): void {
    const record = this.failures.get(address);
    if (record && record.lockedUntil > this.now()) throw unauthorized();
    if (this.valid(authorization)) {
      this.failures.delete(address);
      return;
    }
    const count = (record?.count ?? 0) + 1;
    const lockMs = this.lock !== false && count >= this.lock.failures ? this.lock.lockMs : 0;
    this.failures.set(address, {
      count: lockMs > 0 ? 0 : count,
      lockedUntil: lockMs > 0 ? this.now() + lockMs : 0,
    });
    throw unauthorized();
  }

  private valid(authorization: string | undefined): boolean {
    const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return false;
    const given = Buffer.from(Buffer.from(match[1], 'base64').toString('utf8'));
    const wanted = Buffer.from(`${this.user}:${this.password}`);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }
}

function unauthorized(): RobotErrorResponse {
  return new RobotErrorResponse(401, 'UNAUTHORIZED', 'Unauthorized');
}
