import type { SshKeyPair } from '../host/ssh-keys.js';
import { createHash, randomBytes } from 'node:crypto';
import type { SimulatedMachine } from '../machine/simulated-machine.js';
import { RobotErrorResponse } from './robot-error-response.js';

export type ResetType = 'sw' | 'hw' | 'power' | 'power_long' | 'man';

export interface RescueRecord {
  readonly os: string;
  readonly arch: number;
  readonly password: string;
  readonly keys: readonly RobotKey[];
  /** The host key the rescue system of this activation presents, when it was decided (published). */
  readonly hostKey?: SshKeyPair;
}

export interface RobotServer {
  readonly number: number;
  name: string;
  readonly product: string;
  readonly dc: string;
  readonly resetTypes: readonly ResetType[];
  readonly ipv6Net: string;
  readonly machine: SimulatedMachine;
  /** The activation the machine holds now (cleared when a boot consumes it), and the last one. */
  rescue: RescueRecord | undefined;
  lastRescue: RescueRecord | undefined;
  manualResetPending: boolean;
}

export interface RobotKey {
  readonly name: string;
  readonly fingerprint: string;
  readonly type: string;
  readonly size: number;
  readonly data: string;
  readonly createdAt: string;
}

/** The Robot account: its dedicated servers and stored SSH keys. */
export class RobotAccount {
  readonly servers = new Map<number, RobotServer>();
  readonly keys = new Map<string, RobotKey>();

  /** By number, or (deprecated) by main IPv4. */
  server(id: string): RobotServer {
    const found = /^\d+$/.test(id)
      ? this.servers.get(Number(id))
      : [...this.servers.values()].find((s) => s.machine.host.address === id);
    if (found === undefined) throw RobotErrorResponse.serverNotFound(id);
    return found;
  }

  key(fingerprint: string): RobotKey {
    const found = this.keys.get(fingerprint);
    if (found === undefined) throw new RobotErrorResponse(404, 'NOT_FOUND', 'Key not found');
    return found;
  }

  addKey(name: string, data: string): RobotKey {
    const parsed = parsePublicKey(data);
    if (parsed === undefined) throw RobotErrorResponse.invalidInput(null, ['data']);
    if (this.keys.has(parsed.fingerprint))
      throw new RobotErrorResponse(409, 'KEY_ALREADY_EXISTS', 'The key already exists');
    const key: RobotKey = { name, ...parsed, data: data.trim(), createdAt: robotTime(new Date()) };
    this.keys.set(key.fingerprint, key);
    return key;
  }
}

/** Robot's rescue passwords: random, readable. */
export function rescuePassword(): string {
  return randomBytes(9).toString('base64url');
}

/** `YYYY-MM-DD HH:MM:SS` without a zone, as Robot prints times. */
export function robotTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

const keyKinds: Readonly<Record<string, { type: string; size: (blob: Buffer) => number }>> = {
  'ssh-ed25519': { type: 'ED25519', size: () => 256 },
  'ssh-rsa': { type: 'RSA', size: rsaBits },
  'ecdsa-sha2-nistp256': { type: 'ECDSA', size: () => 256 },
  'ecdsa-sha2-nistp384': { type: 'ECDSA', size: () => 384 },
  'ecdsa-sha2-nistp521': { type: 'ECDSA', size: () => 521 },
};

/** Robot's view of a public key line: MD5 fingerprint, type and bits. */
export function parsePublicKey(
  data: string,
): { fingerprint: string; type: string; size: number } | undefined {
  const [kind = '', encoded = ''] = data.trim().split(/\s+/);
  const spec = keyKinds[kind];
  const blob = Buffer.from(encoded, 'base64');
  if (spec === undefined || blob.length < 16) return undefined;
  const fingerprint = (createHash('md5').update(blob).digest('hex').match(/../g) ?? []).join(':');
  return { fingerprint, type: spec.type, size: spec.size(blob) };
}

/** The modulus length of an `ssh-rsa` blob: string type, mpint e, mpint n. */
function rsaBits(blob: Buffer): number {
  let offset = 0;
  const next = (): Buffer => {
    const length = blob.readUInt32BE(offset);
    const value = blob.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return value;
  };
  try {
    next();
    next();
    const modulus = next();
    return (modulus[0] === 0 ? modulus.length - 1 : modulus.length) * 8;
  } catch {
    return 0;
  }
}
