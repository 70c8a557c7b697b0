import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { encodeHeader, headerBytes, type OsImageDescriptor } from './format.js';

const MiB = 1024 * 1024;

export interface TestImageOptions {
  /** Where to write the raw disk image. */
  readonly path: string;
  readonly name?: string;
  /** Used when the bootstrap data names no hostname. */
  readonly defaultHostname?: string;
  /** Payload size (filler the OS checks at boot); default 1 MiB. */
  readonly payloadBytes?: number;
  /** Room for bootstrap data; default 1 MiB. */
  readonly bootstrapBytes?: number;
  readonly authorizedKeys?: readonly string[];
}

export interface BuiltTestImage {
  readonly path: string;
  readonly sizeBytes: number;
  readonly descriptor: OsImageDescriptor;
}

/**
 * Writes a raw disk image in the simulated OS format: header, a zero-filled bootstrap-data
 * region at 1 MiB, then random payload. An image-url-command that copies it to a disk and
 * writes the bootstrap data at `bootstrapData.offset` makes that disk boot (docs/sim-os-image.md).
 */
export async function buildTestImage(options: TestImageOptions): Promise<BuiltTestImage> {
  const bootstrapBytes = options.bootstrapBytes ?? MiB;
  const payloadBytes = options.payloadBytes ?? MiB;
  const bootstrapOffset = MiB;
  const payloadOffset = bootstrapOffset + roundUp(bootstrapBytes, MiB);
  const payload = randomBytes(payloadBytes);
  const descriptor: OsImageDescriptor = {
    name: options.name ?? 'sim-os',
    defaultHostname: options.defaultHostname ?? 'localhost',
    bootstrapData: { offset: bootstrapOffset, size: bootstrapBytes },
    payload: {
      offset: payloadOffset,
      size: payloadBytes,
      sha256: createHash('sha256').update(payload).digest('hex'),
    },
    authorizedKeys: options.authorizedKeys ?? [],
  };
  const sizeBytes = payloadOffset + roundUp(payloadBytes, 512);
  const file = await open(options.path, 'w', 0o644);
  try {
    await file.write(encodeHeader(descriptor), 0, headerBytes, 0);
    await file.write(payload, 0, payload.length, payloadOffset);
    await file.truncate(sizeBytes);
  } finally {
    await file.close();
  }
  return { path: options.path, sizeBytes, descriptor };
}

function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}
