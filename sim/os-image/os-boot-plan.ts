import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { parse } from 'yaml';
import { decodeHeader, headerBytes, InvalidOsImageError, type OsImageDescriptor } from './format.js';

/** What the simulated firmware boots from a disk holding a valid image. */
export interface OsBootPlan {
  readonly image: OsImageDescriptor;
  readonly hostname: string;
  readonly authorizedKeys: readonly string[];
  /** The bootstrap data as written by the image-url-command ('' when none). */
  readonly bootstrapData: string;
}

export type OsBootDecision =
  | { readonly bootable: true; readonly plan: OsBootPlan }
  | { readonly bootable: false; readonly reason: string };

const hostnamePattern = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** Reads a disk's backing file as firmware would: header, payload check, then bootstrap data. */
export async function planOsBoot(diskPath: string): Promise<OsBootDecision> {
  const file = await open(diskPath, 'r');
  try {
    const image = decodeHeader(await readRange(file, 0, headerBytes));
    const payload = await readRange(file, image.payload.offset, image.payload.size);
    if (createHash('sha256').update(payload).digest('hex') !== image.payload.sha256)
      return { bootable: false, reason: 'payload checksum mismatch (image incomplete or corrupt)' };
    const region = await readRange(file, image.bootstrapData.offset, image.bootstrapData.size);
    const end = region.indexOf(0);
    const bootstrapData = region.subarray(0, end === -1 ? region.length : end).toString('utf8');
    return { bootable: true, plan: { image, bootstrapData, ...fromBootstrapData(bootstrapData, image) } };
  } catch (error) {
    if (error instanceof InvalidOsImageError || error instanceof SyntaxError)
      return { bootable: false, reason: error.message };
    throw error;
  } finally {
    await file.close();
  }
}

/**
 * The rules of docs/sim-os-image.md: cloud-config `hostname` (or the first label of `fqdn`)
 * names the host; `ssh_authorized_keys`, top-level and per user, are root's keys.
 */
export function fromBootstrapData(
  bootstrapData: string,
  image: Pick<OsImageDescriptor, 'defaultHostname' | 'authorizedKeys'>,
): { hostname: string; authorizedKeys: readonly string[] } {
  const config = cloudConfig(bootstrapData);
  const named = stringField(config, 'hostname') ?? stringField(config, 'fqdn')?.split('.')[0];
  const hostname = named !== undefined && hostnamePattern.test(named) ? named : image.defaultHostname;
  const users = Array.isArray(config.users) ? (config.users as unknown[]) : [];
  const keys = [config, ...users].flatMap((entry) => stringList(entry, 'ssh_authorized_keys'));
  return { hostname, authorizedKeys: [...image.authorizedKeys, ...keys] };
}

function cloudConfig(data: string): Record<string, unknown> {
  // cloud-init renders data that starts with `## template: jinja` (as Cluster API's does) first.
  const body = data.replace(/^## template: jinja\r?\n/, '');
  if (!body.startsWith('#cloud-config')) return {};
  try {
    const parsed = parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

function stringList(entry: unknown, key: string): string[] {
  if (typeof entry !== 'object' || entry === null) return [];
  const value = (entry as Record<string, unknown>)[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

async function readRange(file: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, offset);
  if (bytesRead < length) throw new InvalidOsImageError(`disk ends before byte ${offset + length}`);
  return buffer;
}
