import { objectKey, type Informer } from '../../kube/index.js';
import type { KnownSecrets } from '../../util/known-secrets.js';
import { secretValue, type SecretValue } from '../shared/secret-value.js';
import type { SecretObject } from './types.js';

/** One key of a Secret: the Secret is `missing`, the value is `empty`, or its decoded value. */
export type SecretRead = SecretValue;

/** Reads Secrets of the cache, telling every value read to the process's redactor. */
export class SecretReader {
  constructor(
    private readonly secrets: Informer<SecretObject>,
    private readonly known: KnownSecrets,
  ) {}

  read(namespace: string, name: string, key: string): SecretRead {
    return secretValue(this.secrets.store.get(objectKey(namespace, name)), key, this.known);
  }

  /** The value, or undefined when the Secret or its key is missing or empty. */
  value(namespace: string, name: string, key: string): string | undefined {
    const read = this.read(namespace, name, key);
    return read.kind === 'found' ? read.value : undefined;
  }
}
