import type { KubeObject } from '../client/objects.js';
import { microTime } from '../events/micro-time.js';

/** coordination.k8s.io/v1 LeaseSpec (MicroTime fields as 6-digit strings). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** The spec this identity writes to take or keep the lease at `now`. */
export function leaseFor(
  identity: string,
  durationMs: number,
  now: Date,
  previous: LeaseSpec | undefined,
): LeaseSpec {
  const keeping = previous?.holderIdentity === identity;
  const transitions = previous?.leaseTransitions ?? 0;
  return {
    holderIdentity: identity,
    leaseDurationSeconds: Math.max(1, Math.ceil(durationMs / 1000)),
    acquireTime: keeping && previous.acquireTime ? previous.acquireTime : microTime(now),
    renewTime: microTime(now),
    leaseTransitions: keeping || previous === undefined ? transitions : transitions + 1,
  };
}

/** The spec written when stepping down: no holder and a 1 s duration, so a candidate takes over at once. */
export function releasedLease(previous: LeaseSpec, now: Date): LeaseSpec {
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: microTime(now),
    renewTime: microTime(now),
    leaseTransitions: previous.leaseTransitions ?? 0,
  };
}
