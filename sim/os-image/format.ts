import { createHash } from 'node:crypto';

/**
 * The simulated installed OS's disk format (docs/sim-os-image.md). A disk boots into an OS host
 * only when it starts with a valid header and its payload matches the header's checksum, so a
 * blank, truncated or corrupt disk never comes up, like a real server with no bootable disk.
 *
 *   offset 0   16 bytes  magic "IMAGEURL-SIM-OS\n"
 *          16   4 bytes  format version, big-endian (1)
 *          20   4 bytes  length N of the descriptor JSON, big-endian
 *          24  32 bytes  SHA-256 of the descriptor JSON
 *          56   N bytes  descriptor JSON (UTF-8), N <= 65,480
 */
export const osImageMagic = Buffer.from('IMAGEURL-SIM-OS\n', 'ascii');
export const osImageVersion = 1;
export const headerBytes = 64 * 1024;
const descriptorOffset = 56;

export interface OsImageDescriptor {
  /** A name for people, e.g. `sim-debian-13`. */
  readonly name: string;
  /** The hostname when the bootstrap data names none. */
  readonly defaultHostname: string;
  /** Where an image-url-command writes the bootstrap data: NUL-terminated, zero-filled in the image. */
  readonly bootstrapData: { readonly offset: number; readonly size: number };
  /** The bytes that must be intact for the OS to boot. */
  readonly payload: { readonly offset: number; readonly size: number; readonly sha256: string };
  /** Keys root accepts in addition to those from the bootstrap data (test images only). */
  readonly authorizedKeys: readonly string[];
}

export class InvalidOsImageError extends Error {
  readonly code = 'INVALID_SIM_OS_IMAGE';
}

export function encodeHeader(descriptor: OsImageDescriptor): Buffer {
  const json = Buffer.from(JSON.stringify(descriptor), 'utf8');
  if (descriptorOffset + json.length > headerBytes)
    throw new InvalidOsImageError(
      `descriptor is ${json.length} bytes; at most ${headerBytes - descriptorOffset} fit`,
    );
  const header = Buffer.alloc(headerBytes);
  osImageMagic.copy(header, 0);
  header.writeUInt32BE(osImageVersion, 16);
  header.writeUInt32BE(json.length, 20);
  createHash('sha256').update(json).digest().copy(header, 24);
  json.copy(header, descriptorOffset);
  return header;
}

/** Reads the descriptor from the first bytes of a disk; says why when the disk is not bootable. */
export function decodeHeader(header: Buffer): OsImageDescriptor {
  if (header.length < descriptorOffset || !header.subarray(0, 16).equals(osImageMagic))
    throw new InvalidOsImageError('no simulated OS image header at offset 0');
  const version = header.readUInt32BE(16);
  if (version !== osImageVersion)
    throw new InvalidOsImageError(
      `unsupported image format version ${version}; supported: ${osImageVersion}`,
    );
  const length = header.readUInt32BE(20);
  if (descriptorOffset + length > Math.min(header.length, headerBytes))
    throw new InvalidOsImageError(`descriptor length ${length} runs past the header`);
  const json = header.subarray(descriptorOffset, descriptorOffset + length);
  if (!createHash('sha256').update(json).digest().equals(header.subarray(24, 56)))
    throw new InvalidOsImageError('descriptor checksum mismatch');
  return checkDescriptor(JSON.parse(json.toString('utf8')) as unknown);
}

function checkDescriptor(value: unknown): OsImageDescriptor {
  const d = value as Partial<OsImageDescriptor> | null;
  const regionOk = (r: { offset: number; size: number } | undefined): boolean =>
    r !== undefined &&
    Number.isSafeInteger(r.offset) &&
    Number.isSafeInteger(r.size) &&
    r.offset >= headerBytes &&
    r.size >= 0;
  if (
    typeof d?.name !== 'string' ||
    typeof d.defaultHostname !== 'string' ||
    !regionOk(d.bootstrapData) ||
    !regionOk(d.payload) ||
    typeof d.payload?.sha256 !== 'string' ||
    !Array.isArray(d.authorizedKeys)
  )
    throw new InvalidOsImageError('descriptor lacks a required field');
  return d as OsImageDescriptor;
}
