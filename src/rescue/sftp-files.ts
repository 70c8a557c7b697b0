import type { SFTPWrapper, Stats } from 'ssh2';

/**
 * The few file operations the rescue session needs, over one SFTP channel, as promises. Reads
 * go by offset and length only, so no file is ever read whole into memory.
 */
export interface RemoteFile {
  readonly size: number;
  /** Up to `length` bytes at `position`; fewer only at the end of the file. */
  readAt(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

const noSuchFile = 2; // SSH_FX_NO_SUCH_FILE
const writeChunkBytes = 32 * 1024;

export class SftpFiles {
  constructor(private readonly sftp: SFTPWrapper) {}

  /** Stats without following a final symlink; undefined when nothing is there. */
  async lstat(path: string): Promise<Stats | undefined> {
    return absentAsUndefined(call<Stats>((cb) => this.sftp.lstat(path, cb)));
  }

  /** Creates a folder; one that exists already (maybe made by a concurrent session) is fine. */
  async mkdir(path: string, mode: number): Promise<void> {
    try {
      await call<undefined>((cb) => this.sftp.mkdir(path, { mode }, (error) => cb(error, undefined)));
    } catch (error) {
      // SFTP reports "exists" only as a generic failure: look before deciding.
      if (!(await this.lstat(path))?.isDirectory()) throw error;
    }
  }

  /** Creates or truncates `path` with `mode` and writes `chunks` in order. */
  async writeFile(
    path: string,
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    mode: number,
  ): Promise<void> {
    const handle = await call<Buffer>((cb) => this.sftp.open(path, 'w', { mode }, cb));
    try {
      // The server applies its umask at creation; set the mode explicitly as well.
      await call<undefined>((cb) => this.sftp.fchmod(handle, mode, (error) => cb(error, undefined)));
      let position = 0;
      for await (const chunk of chunks) {
        for (let at = 0; at < chunk.length; at += writeChunkBytes) {
          const piece = Buffer.from(
            chunk.buffer,
            chunk.byteOffset + at,
            Math.min(writeChunkBytes, chunk.length - at),
          );
          await call<undefined>((cb) =>
            this.sftp.write(handle, piece, 0, piece.length, position, (e) => cb(e, undefined)),
          );
          position += piece.length;
        }
      }
    } finally {
      await this.closeHandle(handle);
    }
  }

  /** Atomic replace (OpenSSH's posix-rename extension). */
  async rename(from: string, to: string): Promise<void> {
    await call<undefined>((cb) => this.sftp.ext_openssh_rename(from, to, (error) => cb(error, undefined)));
  }

  /** Opens `path` for bounded reads; undefined when it does not exist. */
  async open(path: string): Promise<RemoteFile | undefined> {
    const handle = await absentAsUndefined(call<Buffer>((cb) => this.sftp.open(path, 'r', cb)));
    if (handle === undefined) return undefined;
    try {
      const { size } = await call<Stats>((cb) => this.sftp.fstat(handle, cb));
      return {
        size,
        readAt: (position, length) => this.readAt(handle, position, length),
        close: () => this.closeHandle(handle),
      };
    } catch (error) {
      await this.closeHandle(handle).catch(() => undefined);
      throw error;
    }
  }

  private async readAt(handle: Buffer, position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const bytesRead = await call<number>((cb) =>
        this.sftp.read(handle, buffer, filled, length - filled, position + filled, (error, n) =>
          cb(error, n),
        ),
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  }

  private async closeHandle(handle: Buffer): Promise<void> {
    await call<undefined>((cb) => this.sftp.close(handle, (error) => cb(error, undefined)));
  }
}

type Callback<T> = (error: Error | null | undefined, value: T) => void;

function call<T>(start: (callback: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((error, value) => (error ? reject(error) : resolve(value)));
  });
}

async function absentAsUndefined<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (error) {
    if ((error as { code?: unknown }).code === noSuchFile) return undefined;
    throw error;
  }
}
