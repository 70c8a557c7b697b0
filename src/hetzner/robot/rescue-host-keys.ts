import { createHash } from 'node:crypto';

/** What Robot's `host_key` list of a rescue activation says, as fingerprints we can compare. */
export interface RescueHostKeys {
  /** `MD5:aa:bb:…` or `SHA256:…`, deduplicated, in Robot's order. */
  readonly fingerprints: readonly string[];
  /** Entries in a form we cannot read: ignored, never taken as a match. */
  readonly unreadable: number;
}

const md5Pattern = /^(?:MD5:)?([0-9a-f]{2}(?::[0-9a-f]{2}){15})$/i;
const sha256Pattern = /^SHA256:([A-Za-z0-9+/]{43})=?$/;
const publicKeyPattern = /^([a-z0-9@.-]{1,64}) ([A-Za-z0-9+/]+={0,2})(?: .*)?$/;

/**
 * Reads Robot's `host_key` list defensively. Its content is undocumented for rescue answers and
 * empty in every published sample; the forms read here are the ones public evidence supports:
 * Robot's own host-key entries elsewhere (`{"key": {"fingerprint": "c1:e4:…", "type", "size"}}`,
 * as in its order transactions, the same wrapper as `authorized_key`) and plain strings (a
 * client library models the list as strings): an MD5 or SHA256 fingerprint, or an OpenSSH
 * public key line. Anything else counts as unreadable, so it can never vouch for a key.
 */
export function readRescueHostKeys(list: unknown): RescueHostKeys {
  if (!Array.isArray(list)) return { fingerprints: [], unreadable: list == null ? 0 : 1 };
  const fingerprints = new Set<string>();
  let unreadable = 0;
  for (const entry of list) {
    const fingerprint = fingerprintOf(entry);
    if (fingerprint === undefined) unreadable++;
    else fingerprints.add(fingerprint);
  }
  return { fingerprints: [...fingerprints], unreadable };
}

function fingerprintOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return fingerprintOfText(entry.trim());
  if (typeof entry !== 'object' || entry === null || !('key' in entry)) return undefined;
  const key: unknown = entry.key;
  if (typeof key !== 'object' || key === null || !('fingerprint' in key)) return undefined;
  const fingerprint: unknown = key.fingerprint;
  return typeof fingerprint === 'string' ? fingerprintOfFingerprint(fingerprint.trim()) : undefined;
}

function fingerprintOfText(text: string): string | undefined {
  return fingerprintOfFingerprint(text) ?? fingerprintOfPublicKey(text);
}

function fingerprintOfFingerprint(text: string): string | undefined {
  const md5 = md5Pattern.exec(text)?.[1];
  if (md5 !== undefined) return `MD5:${md5.toLowerCase()}`;
  const sha256 = sha256Pattern.exec(text)?.[1];
  return sha256 === undefined ? undefined : `SHA256:${sha256}`;
}

/** An OpenSSH public key line whose blob names the line's algorithm: the SHA256 of its blob. */
function fingerprintOfPublicKey(text: string): string | undefined {
  const [, algorithm, encoded] = publicKeyPattern.exec(text) ?? [];
  if (algorithm === undefined || encoded === undefined) return undefined;
  const blob = Buffer.from(encoded, 'base64');
  if (blob.length < 8) return undefined;
  const length = blob.readUInt32BE(0);
  if (length !== algorithm.length || blob.subarray(4, 4 + length).toString('latin1') !== algorithm)
    return undefined;
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
