import { objectKey, type Informer } from '../../kube/index.js';
import type { SecretObject } from './types.js';

/** One key of a Secret: the Secret is `missing`, the value is `empty`, or its decoded value. */
export type SecretRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'found'; readonly value: string };

/** Reads Secrets of the cache (data is base64, as the API serves it). */
export class SecretReader {
  constructor(private readonly secrets: Informer<SecretObject>) {}

  read(namespace: string, name: string, key: string): SecretRead {
    const secret = this.secrets.store.get(objectKey(namespace, name));
    if (!secret) return { kind: 'missing' };
    const raw = secret.data?.[key];
    const value = raw === undefined ? '' : Buffer.from(raw, 'base64').toString('utf8');
    return value.trim() === '' ? { kind: 'empty' } : { kind: 'found', value };
  }

  /** The value, or undefined when the Secret or its key is missing or empty. */
  value(namespace: string, name: string, key: string): string | undefined {
    const read = this.read(namespace, name, key);
    return read.kind === 'found' ? read.value : undefined;
  }
}
