import { formatDuration } from '../config/duration.js';

/** The leader could not renew its Lease in time and stopped reconciling. */
export class LeaderElectionLostError extends Error {
  override readonly name = 'LeaderElectionLostError';
  readonly code = 'LEADER_ELECTION_LOST';

  constructor(readonly lease: string) {
    super(`lost the leader lease ${lease}: stopped reconciling; restart to campaign again`);
  }
}

/** Not every kind could be listed in time: the controller cannot work as installed. */
export class CacheSyncTimeoutError extends Error {
  override readonly name = 'CacheSyncTimeoutError';
  readonly code = 'CACHE_SYNC_TIMEOUT';

  constructor(
    readonly timeoutMs: number,
    readonly problems: readonly string[],
  ) {
    super(
      `could not list every kind within --cache-sync-timeout ${formatDuration(timeoutMs)}: ${problems.join('; ')}`,
    );
  }
}

/** An ops endpoint could not listen: the message names the flag and the address. */
export class BindError extends Error {
  override readonly name = 'BindError';
  readonly code = 'BIND_FAILED';

  constructor(flag: string, address: string, cause: unknown) {
    const why =
      (cause as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'address already in use' : String(cause);
    super(`${flag} ${address}: ${why}`, { cause });
  }
}
