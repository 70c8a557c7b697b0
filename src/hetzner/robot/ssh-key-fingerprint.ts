import { createHash } from 'node:crypto';
import { RobotError } from '../../ports/robot-errors.js';

/**
 * The MD5 fingerprint Robot identifies a key by (`ssh-keygen -l -E md5` without the `MD5:`
 * prefix): colon hex of the MD5 of the key blob. Takes an OpenSSH public key line; the blob
 * must name the same algorithm as the line, which catches pasted private keys and garbage.
 */
export function sshKeyFingerprint(publicKey: string): string {
  const [algorithm = '', encoded = ''] = publicKey.trim().split(/\s+/);
  const blob = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (blob.length < 8 || blobAlgorithm(blob) !== algorithm)
    throw new RobotError(
      'ROBOT_INVALID_INPUT',
      `robot: publicKey is not an OpenSSH public key line ("<algorithm> <base64> [comment]"), got ${describe(publicKey)}`,
    );
  const digest = createHash('md5').update(blob).digest('hex');
  return (digest.match(/../g) ?? []).join(':');
}

function blobAlgorithm(blob: Buffer): string | undefined {
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** Never echoes key material (it may be a private key pasted by mistake): only its shape. */
function describe(value: string): string {
  const first = value.trim().split(/\s+/, 1)[0] ?? '';
  const kind = /^[a-z0-9@.-]{1,40}$/.test(first) ? `"${first} …"` : 'an unrecognised value';
  return `${kind} of ${value.length} characters`;
}
