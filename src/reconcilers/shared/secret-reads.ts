import { objectKey, secretKind, splitKey, type KubeClient, type ObjectKey } from '../../kube/index.js';
import type { KnownSecrets } from '../../util/known-secrets.js';
import type { SecretObject } from './objects.js';
import { secretValue, type SecretValue } from './secret-value.js';

/** One Secret by namespace and name; undefined when it does not exist. */
export type SecretLookup = (
  namespace: string,
  name: string,
  signal?: AbortSignal,
) => Promise<SecretObject | undefined>;

/** Reads each Secret live from the apiserver by name: the controller's role needs only `get`. */
export function secretsByName(client: KubeClient): SecretLookup {
  return async (namespace, name, signal) => client.find<SecretObject>(secretKind, namespace, name, signal);
}

/** Names never depend on a Secret's content, so a second round finds nothing new; one more is slack. */
const MAX_ROUNDS = 3;

/**
 * The Secrets one reconcile reads, each fetched once by name. The controller neither lists nor
 * watches Secrets (a cache would hold every Secret of every watched namespace), so it reads just
 * the ones objects name. Reads stay synchronous so the code deciding what to read stays plain:
 * a Secret not fetched yet reads as missing and is noted, and `gather` runs that code again once
 * the noted Secrets are fetched. Every value read is told to `known`, the process's redactor.
 */
export class SecretReads {
  private readonly fetched = new Map<ObjectKey, SecretObject | undefined>();
  private readonly wanted = new Set<ObjectKey>();

  constructor(
    private readonly lookup: SecretLookup,
    readonly known: KnownSecrets,
  ) {}

  /** The Secret, when fetched and it exists. */
  secret(namespace: string, name: string): SecretObject | undefined {
    const key = objectKey(namespace, name);
    if (!this.fetched.has(key)) this.wanted.add(key);
    return this.fetched.get(key);
  }

  read(namespace: string, name: string, key: string): SecretValue {
    return secretValue(this.secret(namespace, name), key, this.known);
  }

  /** The value, or undefined when the Secret or its key is missing or empty. */
  value(namespace: string, name: string, key: string): string | undefined {
    const read = this.read(namespace, name, key);
    return read.kind === 'found' ? read.value : undefined;
  }

  /** `run`'s result once every Secret it read was fetched (it runs again after each fetch). */
  async gather<T>(run: () => T, signal?: AbortSignal): Promise<T> {
    for (let round = 1; ; round++) {
      const result = run();
      if (this.wanted.size === 0 || round >= MAX_ROUNDS) return result;
      await this.fetchWanted(signal);
    }
  }

  private async fetchWanted(signal?: AbortSignal): Promise<void> {
    const keys = [...this.wanted];
    this.wanted.clear();
    const secrets = await Promise.all(
      keys.map(async (key) => {
        const { namespace, name } = splitKey(key);
        return this.lookup(namespace, name, signal);
      }),
    );
    keys.forEach((key, index) => this.fetched.set(key, secrets[index]));
  }
}
