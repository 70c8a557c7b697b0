import type { Scheduler } from '../http/scheduler.js';
import type { RouteParams } from '../http/router.js';
import type { SimDurations } from '../machine/durations.js';
import type { FormBody } from './form-body.js';
import type { RobotAccount } from './robot-account.js';
import type { LimitGroup } from './robot-limits.js';

export interface RobotContext {
  readonly account: RobotAccount;
  readonly params: RouteParams;
  readonly form: FormBody;
  readonly scheduler: Scheduler;
  readonly durations: SimDurations & { readonly manualResetMs: number };
  /** Rescue activations answer with the rescue sshd's host key in `host_key` (default: empty, as Robot). */
  readonly publishRescueHostKeys: boolean;
  readonly onError: (error: unknown) => void;
}

export interface RobotReply {
  readonly status: number;
  readonly body: unknown;
}

export interface RobotRoute {
  readonly method: string;
  readonly path: string;
  /** Which hourly limit the request counts against (Robot docs, "Request limit"). */
  readonly limit: LimitGroup | undefined;
  readonly handler: (context: RobotContext) => RobotReply | Promise<RobotReply>;
}

export function ok(body: unknown, status = 200): RobotReply {
  return { status, body };
}
