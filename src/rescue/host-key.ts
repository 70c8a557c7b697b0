import { createHash } from 'node:crypto';

/** `SHA256:<base64, no padding>` of a raw host key blob, as `ssh-keygen -lf` prints it. */
export function hostKeyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** `MD5:aa:bb:…` of a raw host key blob, as `ssh-keygen -l -E md5 -f` prints it. */
export function hostKeyMd5Fingerprint(blob: Buffer): string {
  const hex = createHash('md5').update(blob).digest('hex');
  return `MD5:${(hex.match(/../g) ?? []).join(':')}`;
}

/** The fingerprint forms a host key may be expected in (see RescueTarget.expectedHostKeys). */
export const expectedHostKeyPattern = /^(SHA256:[A-Za-z0-9+/]{43}|MD5:[0-9a-f]{2}(:[0-9a-f]{2}){15})$/;

/** Whether the key `blob` is one of `expected` (each `SHA256:…` or `MD5:…`). */
export function isExpectedHostKey(blob: Buffer, expected: readonly string[]): boolean {
  const forms = new Set([hostKeyFingerprint(blob), hostKeyMd5Fingerprint(blob)]);
  return expected.some((fingerprint) => forms.has(fingerprint));
}
