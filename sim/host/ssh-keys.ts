import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';

export interface SshKeyPair {
  /** OpenSSH private key (PEM-like `-----BEGIN OPENSSH PRIVATE KEY-----`). */
  readonly privateKey: string;
  /** One `authorized_keys` line: `ssh-ed25519 AAAA… comment`. */
  readonly publicKey: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
}

/** `string "ssh-ed25519"` + `string key(32)` in SSH wire format. */
const ED25519_PUBLIC_BLOB_BYTES = 4 + 11 + 4 + 32;

export function generateSshKeyPair(comment = 'imageurl'): SshKeyPair {
  // ssh2 1.17 sometimes (about 1 in 250) encodes a key whose first byte is zero with 31 bytes,
  // which sshd rejects ("error in libcrypto"; mscdex/ssh2#1390): draw again until well-formed.
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    const blob = Buffer.from(pair.public.trim().split(/\s+/)[1] ?? '', 'base64');
    if (blob.length !== ED25519_PUBLIC_BLOB_BYTES) continue;
    return {
      privateKey: pair.private,
      publicKey: pair.public.trim(),
      fingerprint: publicKeyFingerprint(blob),
    };
  }
}

/** SHA256 fingerprint of an `authorized_keys`-style line or of a raw public key blob. */
export function publicKeyFingerprint(publicKey: string | Buffer): string {
  const blob =
    typeof publicKey === 'string' ? Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64') : publicKey;
  if (blob.length === 0) throw new Error('not an OpenSSH public key');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
