import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startOciRegistry } from '../sim/oci-registry/index.js';
import { buildTestImage } from '../sim/os-image/build-image.js';
import { parseImageReference } from '../src/oci/image-reference.js';
import { pushDiskImage } from '../src/oci/push-disk-image.js';
import { RegistryClient } from '../src/oci/registry-client.js';
import { rescueForCommand } from '../test/support/disk-command-rescue.js';

const MiB = 1024 * 1024;
const run = promisify(execFile);

export interface CommandThroughput {
  readonly imageBytes: number;
  readonly commandSeconds: number;
  readonly baselineSeconds: number;
  /** Command throughput as a fraction of `zstd -d | dd` (goal >= 0.9). */
  readonly ratio: number;
}

/**
 * A bootable simulated OS image grown to `bytes` as real images are: a quarter data, the rest
 * zeros, in 4 MiB stripes after the image's own content.
 */
async function writeDisk(path: string, bytes: number): Promise<void> {
  const image = await buildTestImage({ path, payloadBytes: 4 * MiB });
  const file = await open(path, 'r+');
  try {
    const start = Math.ceil(image.sizeBytes / (16 * MiB)) * 16 * MiB;
    for (let offset = start; offset < bytes; offset += 16 * MiB) {
      await file.write(randomBytes(4 * MiB), 0, 4 * MiB, offset);
    }
    await file.truncate(bytes);
  } finally {
    await file.close();
  }
}

/**
 * Installs a 1 GiB image (zstd) from the real registry with image-url-command-oci-disk in a
 * simulated rescue system, and times `zstd -d | dd` of the same compressed bytes from a local file
 * to the same device, in the same rescue system.
 */
export async function measureCommandThroughput(imageBytes = 1024 * MiB): Promise<CommandThroughput> {
  // Not below /tmp: the rescue system mounts its own /tmp, but sees this folder.
  const scratch = fileURLToPath(new URL('../.cache/bench-commands/', import.meta.url));
  await mkdir(scratch, { recursive: true });
  const registry = await startOciRegistry({ auth: 'none' });
  const rescue = await rescueForCommand(scratch, 'bench', 2 * imageBytes);
  try {
    const disk = join(scratch, 'disk.img');
    await writeDisk(disk, imageBytes);
    const target = parseImageReference(`oci://${registry.host}/bench/disk:v1`);
    await pushDiskImage({ file: disk, target, client: new RegistryClient(registry.url, target.repository) });
    await run('zstd', ['-q', '-f', '-3', disk, '-o', `${disk}.zst`]);
    const commandStart = performance.now();
    const result = await rescue.run(`oci://${registry.host}/bench/disk:v1`, {});
    const commandSeconds = (performance.now() - commandStart) / 1000;
    if (result.lines.at(-1) !== 'IMAGE_URL_DONE')
      throw new Error(`the command failed: ${result.lines.join('\n')}`);
    const baselineStart = performance.now();
    await rescue.put(
      '/root/baseline.sh',
      `zstd -d -c '${disk}.zst' | dd of=/dev/sda bs=4M iflag=fullblock conv=fsync status=none\n`,
    );
    await rescue.shell('bash /root/baseline.sh');
    const baselineSeconds = (performance.now() - baselineStart) / 1000;
    return { imageBytes, commandSeconds, baselineSeconds, ratio: baselineSeconds / commandSeconds };
  } finally {
    await rescue.close();
    await registry.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const figures = await measureCommandThroughput();
  const mibPerSecond = (seconds: number): string => (figures.imageBytes / MiB / seconds).toFixed(0);
  console.log(
    `commands bench, ${cpus().length} cores, ${figures.imageBytes / MiB} MiB image (zstd, 1/4 data)`,
  );
  console.log(
    `image-url-command-oci-disk (registry -> verify -> zstd -d -> dd): ${figures.commandSeconds.toFixed(2)} s, ${mibPerSecond(figures.commandSeconds)} MiB/s`,
  );
  console.log(
    `baseline zstd -d local file | dd:                             ${figures.baselineSeconds.toFixed(2)} s, ${mibPerSecond(figures.baselineSeconds)} MiB/s`,
  );
  console.log(
    `throughput ratio ${figures.ratio.toFixed(2)} (${figures.ratio >= 0.9 ? 'meets' : 'MISSES'} goal >= 0.9)`,
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const results = new URL('./results/', import.meta.url);
  await mkdir(results, { recursive: true });
  await writeFile(
    new URL(`commands-${stamp}.json`, results),
    `${JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, ...figures }, null, 2)}\n`,
  );
  console.log(`written to bench/results/commands-${stamp}.json`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
