import type { KnownSecrets } from '../../util/known-secrets.js';
import type { SecretObject } from './objects.js';

/** What a Secret holds under one key: `missing` Secret, `empty` value, or the decoded value. */
export type SecretValue =
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'found'; readonly value: string };

/**
 * Reads one key of a Secret (data is base64, as the API serves it). Every value found is told to
 * `known`, so the process's redactor keeps it out of logs and events from then on.
 */
export function secretValue(secret: SecretObject | undefined, key: string, known: KnownSecrets): SecretValue {
  if (!secret) return { kind: 'missing' };
  const raw = secret.data?.[key];
  const value = raw === undefined ? '' : Buffer.from(raw, 'base64').toString('utf8');
  if (value.trim() === '') return { kind: 'empty' };
  known.add(value);
  return { kind: 'found', value };
}
