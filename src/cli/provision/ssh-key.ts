import { readFile } from 'node:fs/promises';
import ssh2, { type ParsedKey } from 'ssh2';
import { sshKeyFingerprint } from '../../hetzner/robot/index.js';
import { ProvisionError } from './provision-errors.js';

/** The key root logs in with: the private key for SSH, the public half for Hetzner. */
export interface LoginKey {
  readonly privateKey: string;
  /** OpenSSH public key line, e.g. `ssh-ed25519 AAAA…`. */
  readonly publicKey: string;
  /** MD5, colon hex: how both Hetzner APIs identify a key. */
  readonly fingerprint: string;
}

/** Reads `--ssh-key FILE` (an unencrypted OpenSSH or PEM private key) and derives its public half. */
export async function readLoginKey(path: string): Promise<LoginKey> {
  const refuse = (why: string): ProvisionError =>
    new ProvisionError(
      'FILE_UNUSABLE',
      `--ssh-key: ${path} ${why}; allowed: an unencrypted private key file`,
    );
  const privateKey = await readFile(path, 'utf8').catch((error: unknown) => {
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  });
  // One key per file is the rule; a file of several yields an array, of which the first counts.
  const parsed = ssh2.utils.parseKey(privateKey) as ParsedKey | ParsedKey[] | Error;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || key instanceof Error) {
    // The parser's message never contains key material, but a short reason is all we need.
    const why =
      key instanceof Error && /encrypted/i.test(key.message) ? 'is encrypted' : 'is not a private key';
    throw refuse(why);
  }
  if (!key.isPrivateKey()) throw refuse('holds a public key');
  const publicKey = `${key.type} ${key.getPublicSSH().toString('base64')}`;
  return { privateKey, publicKey, fingerprint: sshKeyFingerprint(publicKey) };
}
