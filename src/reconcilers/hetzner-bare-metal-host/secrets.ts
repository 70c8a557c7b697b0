import type { SecretReads } from '../shared/secret-reads.js';

/**
 * How the host's input gathering reads Secrets: synchronously, from the Secrets one reconcile
 * fetched by name (src/reconcilers/shared/secret-reads.ts), every value told to the redactor.
 */
export type SecretReader = Pick<SecretReads, 'read' | 'value'>;
