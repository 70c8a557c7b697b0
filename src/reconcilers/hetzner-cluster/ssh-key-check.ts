import { isCloudError } from '../../ports/cloud-errors.js';
import type { Clock } from '../../ports/clock.js';
import type { CloudSshKeys } from '../../ports/cloud-ssh-keys.js';
import { checks, type Check } from './checks.js';
import type { HetznerClusterObject } from './types.js';

export interface SshKeyCheckInput {
  readonly object: HetznerClusterObject;
  readonly token: string;
  /** Names the token's Secret in messages (`namespace/name`, key). */
  readonly tokenSource: { readonly secret: string; readonly key: string };
  /** Changes exactly when the token does (a digest of it, kept in memory only). */
  readonly tokenVersion: string;
}

export interface SshKeyCheckResult {
  /** HetznerAPIReachable, HCloudSSHKeysAvailable and, when the API refused the token, HCloudTokenAvailable. */
  readonly checks: readonly Check[];
  /** When to look again without a watch event; undefined once the keys were found. */
  readonly requeueAfterMs?: number;
  /** Retry with the queue's backoff (the API failed in a way that says nothing about the keys). */
  readonly retry?: boolean;
}

export interface SshKeyCheckTimings {
  /** How long a successful check is trusted for the same spec and Secret. Default 10 min. */
  readonly verifiedForMs: number;
  /** Missing keys are looked for again after this (the project is not watched). Default 60 s. */
  readonly notFoundRetryMs: number;
  /** The least wait after `rate_limit_exceeded` (CAPH waits 5 min; the bucket refills 1/s). Default 60 s. */
  readonly rateLimitWaitMs: number;
}

const DEFAULTS: SshKeyCheckTimings = {
  verifiedForMs: 600_000,
  notFoundRetryMs: 60_000,
  rateLimitWaitMs: 60_000,
};

interface Remembered {
  readonly signature: string;
  readonly until: number;
  readonly result: SshKeyCheckResult;
}

function missingMessage(names: readonly string[], known: ReadonlySet<string>): string | undefined {
  const missing = names.flatMap((name, index) =>
    known.has(name) ? [] : [`${JSON.stringify(name)} (spec.sshKeys.hcloud[${index}].name)`],
  );
  if (missing.length === 0) return undefined;
  const [subject, verb] = missing.length === 1 ? ['SSH key', 'does'] : ['SSH keys', 'do'];
  return `${subject} ${missing.join(', ')} ${verb} not exist in the Hetzner Cloud project`;
}

/**
 * Checks that the cluster's `sshKeys.hcloud` names exist in the project, which also proves the
 * token works. One list call per check; a result is remembered per object (keyed by spec
 * generation and token digest) so watch events do not cost API calls.
 */
export class SshKeyChecker {
  private readonly remembered = new Map<string, Remembered>();
  private readonly timings: SshKeyCheckTimings;

  constructor(
    private readonly deps: { readonly sshKeysFor: (token: string) => CloudSshKeys; readonly clock: Clock },
    timings: Partial<SshKeyCheckTimings> = {},
  ) {
    this.timings = { ...DEFAULTS, ...timings };
  }

  async check(input: SshKeyCheckInput): Promise<SshKeyCheckResult> {
    const uid = input.object.metadata.uid ?? '';
    const signature = `${input.object.metadata.generation ?? 0}/${input.tokenVersion}`;
    const now = this.deps.clock.now().getTime();
    const known = this.remembered.get(uid);
    if (known && known.signature === signature && known.until > now) {
      const wait = known.result.requeueAfterMs === undefined ? undefined : known.until - now;
      return { checks: known.result.checks, ...(wait === undefined ? {} : { requeueAfterMs: wait }) };
    }
    const result = await this.look(input);
    if (!result.retry) {
      const keep = result.requeueAfterMs ?? this.timings.verifiedForMs;
      this.remembered.set(uid, { signature, until: now + keep, result });
    }
    return result;
  }

  /** Drops what is remembered about a deleted object. */
  forget(uid: string | undefined): void {
    this.remembered.delete(uid ?? '');
  }

  private async look(input: SshKeyCheckInput): Promise<SshKeyCheckResult> {
    const names = (input.object.spec.sshKeys.hcloud ?? []).map((key) => key.name);
    try {
      const keys = await this.deps.sshKeysFor(input.token).listSshKeys();
      const message = missingMessage(names, new Set(keys.map((key) => key.name)));
      if (message === undefined) return { checks: [checks.apiReachable(), checks.sshKeysAvailable()] };
      const found = [checks.apiReachable(), checks.sshKeysNotFound(message)];
      return { checks: found, requeueAfterMs: this.timings.notFoundRetryMs };
    } catch (error) {
      return this.failure(input, error);
    }
  }

  private failure(input: SshKeyCheckInput, error: unknown): SshKeyCheckResult {
    const { secret, key } = input.tokenSource;
    if (isCloudError(error, 'unauthorized') || isCloudError(error, 'forbidden')) {
      const refused = `the Hetzner Cloud API refused the token in Secret ${secret} key ${JSON.stringify(key)} (${error.code})`;
      const found = [checks.tokenInvalid(refused), checks.apiReachable(), checks.sshKeysUnchecked(refused)];
      return { checks: found };
    }
    if (isCloudError(error, 'rate_limit_exceeded')) {
      const wait = Math.max(error.retryAfterMs ?? 0, this.timings.rateLimitWaitMs);
      const found = [
        checks.rateLimited('exceeded hcloud rate limit with calling function "listSshKeys"'),
        checks.sshKeysUnchecked('waiting for the Hetzner Cloud API rate limit', 'WaitingForRateLimit'),
      ];
      return { checks: found, requeueAfterMs: wait };
    }
    const reason = error instanceof Error ? error.message : String(error);
    const message = `could not list the SSH keys of the Hetzner Cloud project: ${reason}`;
    return { checks: [checks.sshKeysUnchecked(message, 'HetznerAPIUnavailable')], retry: true };
  }
}
