// The soak's faults: what the Cloud and Robot simulators inject (sim/faults, shapes as the real
// APIs answer, /work reference: docs.hetzner.cloud and the Robot webservice), and the command
// wrapper that records every run and fails a share of them without IMAGE_URL_DONE.
import type { FaultRule } from '../sim/faults/fault-rules.js';

/** Where the faults land, as shares of the matching events (about 10 % of API requests). */
export interface FaultShares {
  /** API requests answered with an error or cut (split over the kinds below). */
  readonly api: number;
  /** Rescue boots that never answer SSH. */
  readonly rescueNeverUp: number;
  /** Rescue boots whose SSH connections are cut a few seconds in, mid-command. */
  readonly sshDrop: number;
  /** Commands that fail without IMAGE_URL_DONE. */
  readonly commandFails: number;
}

export const DEFAULT_SHARES: FaultShares = {
  api: 0.1,
  rescueNeverUp: 0.05,
  sshDrop: 0.05,
  commandFails: 0.02,
};

/** The server actions a client may meet `locked` on (another action runs on the server). */
const SERVER_ACTIONS = ['poweron', 'poweroff', 'reset', 'enable_rescue', 'disable_rescue', 'shutdown'];

/** After how long a dropping rescue boot cuts its SSH connections (the command runs by then). */
export const SSH_DROP_AFTER_MS = 4_000;

function bootFaults(shares: FaultShares): FaultRule[] {
  return [
    { kind: 'boot', system: 'rescue', outcome: 'no-ssh', rate: shares.rescueNeverUp },
    {
      kind: 'boot',
      system: 'rescue',
      outcome: 'drop-ssh',
      afterMs: SSH_DROP_AFTER_MS,
      rate: shares.sshDrop,
    },
  ];
}

/** Cloud: 5xx, `locked` on server actions, cut connections, failing and endless actions. */
export function cloudFaults(shares: FaultShares): FaultRule[] {
  const part = shares.api / 5;
  return [
    { kind: 'request', status: 503, code: 'unavailable', message: 'service unavailable', rate: part },
    { kind: 'request', status: 500, code: 'server_error', message: 'internal server error', rate: part / 2 },
    { kind: 'request', status: 502, code: 'bad_gateway', message: 'bad gateway', rate: part / 2 },
    ...SERVER_ACTIONS.map((action): FaultRule => ({
      kind: 'request',
      method: 'POST',
      path: `/v1/servers/:id/actions/${action}`,
      status: 423,
      code: 'locked',
      message: 'cannot perform operation because server is locked',
      rate: part * 2,
    })),
    { kind: 'connection', when: 'before-serving', rate: part / 2 },
    { kind: 'connection', when: 'after-serving', rate: part / 2 },
    { kind: 'action', outcome: 'error', rate: part },
    { kind: 'action', outcome: 'never-finish', rate: part / 2 },
    ...bootFaults(shares),
  ];
}

/** Robot: internal errors and cut connections (Robot has no `locked`). */
export function robotFaults(shares: FaultShares): FaultRule[] {
  const part = shares.api / 2;
  return [
    { kind: 'request', status: 500, code: 'INTERNAL_ERROR', message: 'internal error', rate: part },
    { kind: 'connection', when: 'before-serving', rate: part / 2 },
    { kind: 'connection', when: 'after-serving', rate: part / 2 },
    ...bootFaults(shares),
  ];
}

/** A burst of rate-limit answers for the next `count` requests, as each API sends them. */
export function rateLimitBurst(api: 'cloud' | 'robot', count: number): FaultRule {
  return api === 'cloud'
    ? { kind: 'request', status: 429, code: 'rate_limit_exceeded', message: 'limit reached', count }
    : { kind: 'request', status: 403, code: 'RATE_LIMIT_EXCEEDED', message: 'rate limit exceeded', count };
}

/**
 * The command the machines name: appends `<ms> <machine> <attempt>` to `runsFile` (the
 * attempt is the launcher's claim on this rescue boot), sleeps past the SSH drop, then fails
 * without the marker for a seeded share of (machine, attempt) pairs, else runs `realCommand`.
 */
export function commandWrapper(options: {
  readonly runsFile: string;
  readonly realCommand: string;
  readonly seed: number;
  readonly failShare: number;
}): string {
  const percentTimes100 = Math.round(options.failShare * 10_000);
  return `#!/bin/bash
attempt=$(readlink /root/.image-url-command/attempt 2>/dev/null || echo unknown)
echo "$(date +%s%3N) $3 $attempt" >> '${options.runsFile}'
roll=$(( 16#$(printf '%s' "${options.seed} $3 $attempt" | sha256sum | cut -c1-6) % 10000 ))
sleep ${Math.ceil(SSH_DROP_AFTER_MS / 1000) + 1}
if [ "$roll" -lt ${percentTimes100} ]; then
  echo "chaos: this run fails without the done marker" >&2
  exit 1
fi
exec '${options.realCommand}' "$@"
`;
}
