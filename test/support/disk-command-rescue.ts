import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pickLoopbackAddress } from '../../sim/host/loopback-address.js';
import { ServerHost } from '../../sim/host/server-host.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import type { BuiltTestImage } from '../../sim/os-image/build-image.js';
import { connectSsh, type TestSshSession } from './ssh-session.js';

export const DISK_COMMAND = fileURLToPath(new URL('../../commands/image-url-command-disk', import.meta.url));
export const BOOTSTRAP = '#cloud-config\nhostname: my-node\n';

export interface CommandRun {
  readonly exitCode: string;
  /** The combined output, line by line. */
  readonly lines: string[];
  /** `message` of /root/output.json. */
  readonly message: string;
}

export interface RescueForCommand {
  readonly host: ServerHost;
  /** Runs the uploaded command with its four arguments and the given environment files. */
  run(
    imageUrl: string,
    environment: Readonly<Record<string, string>>,
    rootDevices?: string,
  ): Promise<CommandRun>;
  /** Puts a file into the rescue system (e.g. a CA bundle). */
  put(path: string, content: string | Buffer): Promise<void>;
  /** Runs a fixed shell command (test-controlled text) and fails unless it exits 0. */
  shell(command: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A rescue system with a 32 MiB /dev/sda, the disk command at /root/image-url-command and
 * bootstrap data at /root/bootstrap.data, as the controller would leave them. The command runs
 * through a shell only in this test helper; values come from the tests, never from users.
 */
export async function rescueForCommand(
  stateDir: string,
  name: string,
  diskBytes = 32 * 1024 * 1024,
  command = DISK_COMMAND,
): Promise<RescueForCommand> {
  const key = generateSshKeyPair();
  const host = new ServerHost({
    name,
    address: await pickLoopbackAddress(),
    disks: [{ name: 'sda', sizeBytes: diskBytes }],
    stateDir: join(stateDir, name),
  });
  let session: TestSshSession | undefined;
  try {
    await host.boot({ hostname: 'rescue', authorizedKeys: [key.publicKey] });
    session = await connectSsh(host.address, host.port, key.privateKey);
  } catch (error) {
    await host.destroy();
    throw error;
  }
  const ssh = session;
  const put = async (path: string, content: string | Buffer): Promise<void> => {
    const result = await ssh.exec(`cat > '${path}'`, Buffer.from(content));
    if (result.code !== 0) throw new Error(`writing ${path}: ${result.stderr}`);
  };
  await put('/root/image-url-command', await readFile(command));
  await ssh.exec('chmod 700 /root/image-url-command');
  await put('/root/bootstrap.data', BOOTSTRAP);
  const shell = async (command: string): Promise<string> => {
    const result = await ssh.exec(command);
    if (result.code !== 0) throw new Error(`${command}: exit ${String(result.code)}: ${result.stderr}`);
    return result.stdout.toString();
  };
  return {
    host,
    put,
    shell,
    run: async (imageUrl, environment, rootDevices = 'sda') => {
      const names = Object.keys(environment);
      for (const variable of names) await put(`/root/env.${variable}`, environment[variable] ?? '');
      const assignments = names.map((variable) => `${variable}="$(cat /root/env.${variable})"`).join(' ');
      const result = await ssh.exec(
        `${assignments} /root/image-url-command '${imageUrl}' /root/bootstrap.data m1 '${rootDevices}' > /root/image-url-command.log 2>&1; echo $?`,
      );
      const log = (await ssh.exec('cat /root/image-url-command.log')).stdout.toString();
      const output = (await ssh.exec('cat /root/output.json')).stdout.toString();
      const message = output === '' ? '' : (JSON.parse(output) as { message: string }).message;
      return { exitCode: result.stdout.toString().trim(), lines: log.trimEnd().split('\n'), message };
    },
    close: async () => {
      ssh.end();
      await host.destroy();
    },
  };
}

/** The disk equals the image, except the seed region, which holds the bootstrap data. */
export async function diskMatchesImage(diskPath: string, image: BuiltTestImage): Promise<boolean> {
  const written = Buffer.from((await readFile(diskPath)).subarray(0, image.sizeBytes));
  const { offset, size } = image.descriptor.bootstrapData;
  assert.equal(written.subarray(offset, offset + BOOTSTRAP.length + 1).toString(), `${BOOTSTRAP}\0`);
  written.fill(0, offset, offset + size); // the image ships that region zero-filled
  const digest = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
  return digest(written) === digest(await readFile(image.path));
}
