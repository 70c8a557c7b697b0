import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DISK_LAYER_MEDIA_TYPE,
  EMPTY_CONFIG,
  OCI_MANIFEST_MEDIA_TYPE,
  diskManifest,
  type DiskLayer,
} from './disk-artifact.js';
import { HashingStream } from './hashing-stream.js';
import type { ImageReference } from './image-reference.js';
import type { RegistryClient } from './registry-client.js';

export interface PushDiskImageInput {
  readonly file: string;
  readonly target: ImageReference;
  readonly client: RegistryClient;
  /** zstd level, 1–19; default 3 (zstd's own default: fast, good ratio for disk images). */
  readonly level?: number;
  /** Called as the disk is read: bytes read so far and the disk's size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface PushedDiskImage {
  readonly manifestDigest: string;
  readonly layer: DiskLayer;
}

/**
 * Compresses the disk with zstd while uploading it (nothing staged on disk or in memory), then
 * stores the manifest. The uncompressed digest is computed on the same read. The registry is
 * asked for an upload session first, so an unreachable registry or refused credentials fail
 * before any byte is read; once the upload fails, reading stops and no progress follows.
 */
export async function pushDiskImage(input: PushDiskImageInput): Promise<PushedDiskImage> {
  const size = await diskSize(input.file);
  const level = input.level ?? 3;
  if (!Number.isInteger(level) || level < 1 || level > 19)
    throw new Error(`--level: invalid value ${level}; allowed: 1 to 19`);
  const location = await input.client.beginUpload();
  const { raw, compressed } = await compressAndUpload(input, { size, level, location });
  const layer: DiskLayer = {
    mediaType: DISK_LAYER_MEDIA_TYPE.zstd,
    digest: compressed.digest(),
    size: compressed.bytes,
    title: `${basename(input.file)}.zst`,
    uncompressedSize: raw.bytes,
    uncompressedDigest: raw.digest(),
  };
  await input.client.uploadBlob(EMPTY_CONFIG.bytes, EMPTY_CONFIG.digest);
  const manifestDigest = await input.client.putManifest(
    input.target.reference,
    diskManifest(layer, new Date()),
    OCI_MANIFEST_MEDIA_TYPE,
  );
  return { manifestDigest, layer };
}

async function diskSize(file: string): Promise<number> {
  const info = await stat(file).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read disk image ${file}: ${code === 'ENOENT' ? 'no such file' : String(error)}`, {
      cause: error,
    });
  });
  if (!info.isFile() || info.size === 0) throw new Error(`${file}: not a non-empty regular file`);
  return info.size;
}

/**
 * Reads the disk through zstd into the upload session at `location`. On the first failure the
 * read is aborted and zstd killed, and this waits for all of them to end, so nothing reports
 * progress once the caller has the error.
 */
async function compressAndUpload(
  input: PushDiskImageInput,
  push: { readonly size: number; readonly level: number; readonly location: string },
): Promise<{ raw: HashingStream; compressed: HashingStream }> {
  const zstd = spawn('zstd', ['-q', '-c', '-T0', `-${push.level}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let zstdErrors = '';
  zstd.stderr.on('data', (chunk: Buffer) => (zstdErrors += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    zstd.once('error', (error) =>
      reject(new Error(`zstd could not run (Debian package zstd): ${error.message}`)),
    );
    zstd.once('close', resolve);
  });
  const reading = new AbortController();
  let failed = false;
  const raw = new HashingStream((bytes) => {
    if (!failed) input.onProgress?.(bytes, push.size);
  });
  const compressed = new HashingStream();
  const steps = [
    pipeline(createReadStream(input.file), raw, zstd.stdin, { signal: reading.signal }),
    input.client.uploadBlobStream(
      Readable.toWeb(zstd.stdout.pipe(compressed)) as ReadableStream<Uint8Array>,
      () => compressed.digest(),
      push.location,
    ),
    exited.then((code) => {
      if (code !== 0) throw new Error(`zstd failed (exit ${code ?? 'signal'}): ${zstdErrors.trim()}`);
    }),
  ];
  try {
    await Promise.all(steps);
  } catch (error) {
    failed = true;
    reading.abort();
    zstd.kill('SIGKILL');
    await Promise.allSettled(steps);
    throw error;
  }
  return { raw, compressed };
}
