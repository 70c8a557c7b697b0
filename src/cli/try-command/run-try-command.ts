import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { directoryCommandResolver } from '../../image-url/command-resolver.js';
import { messageOf } from '../../image-url/errors.js';
import type { CommandSource } from '../../ports/rescue-system.js';
import { createSshRescueSystem } from '../../rescue/index.js';
import type { TryCommandRequest } from '../commands/try-command.js';
import { driveCommand, type DriveOutcome } from './drive-command.js';
import { loadSandboxModule, type RescueSandbox } from './sandbox-module.js';
import { renderText, resultOf, type TryCommandResult } from './verdict-output.js';

export interface TryCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

const processIo: TryCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** The token's variable: never a flag value, since flag values are visible in process lists. */
export const TOKEN_VARIABLE = 'IMAGEURL_OCI_REGISTRY_AUTH_TOKEN';
const DEFAULT_BOOTSTRAP = '#cloud-config\n';
const exitCodes = { passed: 0, failed: 1, 'not-run': 2 } as const;

/** Runs the request; resolves with the exit status (0 passed, 1 failed, 2 could not run). */
export async function runTryCommand(
  request: TryCommandRequest,
  io: TryCommandIo = processIo,
): Promise<number> {
  const report = (result: TryCommandResult): number => {
    if (request.output === 'json') io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.outcome === 'not-run')
      io.stderr(`imageurl: try-command: could not run: ${result.message ?? ''}\n`);
    else io.stdout(renderText(result));
    return exitCodes[result.outcome];
  };
  if (request.boot) {
    return report({
      outcome: 'not-run',
      message:
        '--boot is not available: booting the written disk under QEMU is not implemented yet (docs/command-authors.md); run without --boot',
    });
  }
  let inputs;
  try {
    inputs = await readInputs(request, io.env);
  } catch (error) {
    return report({ outcome: 'not-run', message: messageOf(error) });
  }
  let sandbox: RescueSandbox;
  try {
    sandbox = await (await loadSandboxModule()).startRescueSandbox({ disks: request.disks });
  } catch (error) {
    return report({ outcome: 'not-run', message: `the sandbox did not start: ${messageOf(error)}` });
  }
  const stop = (): void => {
    void sandbox.destroy().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    const live = request.output === 'json' ? io.stderr : io.stdout;
    io.stderr(`sandbox: rescue system on ${sandbox.address}, disks ${diskList(sandbox)}\n`);
    const outcome: DriveOutcome = await driveCommand({
      rescue: createSshRescueSystem(),
      sandbox,
      ...inputs,
      imageUrl: request.imageUrl,
      machineName: request.machineName,
      deviceString: request.deviceString,
      timeoutMs: request.timeoutMs,
      output: live,
      progress: (message) => io.stderr(`progress: ${message}\n`),
    });
    if (outcome.outcome === 'not-run') return report(resultOf(outcome));
    return report(resultOf(outcome, await sandbox.finish()));
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    await sandbox.destroy();
  }
}

interface Inputs {
  readonly command: CommandSource;
  readonly bootstrapData: Uint8Array;
  readonly registryToken: string | undefined;
}

/** The command as the controller's resolver takes it from its folder, the bootstrap data, the token. */
async function readInputs(request: TryCommandRequest, env: NodeJS.ProcessEnv): Promise<Inputs> {
  const path = resolve(request.commandPath);
  const command = await directoryCommandResolver(dirname(path)).resolve(basename(path));
  const bootstrapData =
    request.bootstrapDataFile === undefined
      ? Buffer.from(DEFAULT_BOOTSTRAP)
      : await readFile(request.bootstrapDataFile).catch((error: unknown) => {
          throw new Error(
            `--bootstrap-data: cannot read ${request.bootstrapDataFile ?? ''}: ${messageOf(error)}`,
          );
        });
  return { command, bootstrapData, registryToken: await registryToken(request.ociTokenFile, env) };
}

async function registryToken(file: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (file === undefined) return env[TOKEN_VARIABLE] || undefined;
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new Error(`--oci-token-file: cannot read ${file}: ${messageOf(error)}`);
  });
  // A file written with `echo` ends with a newline that is not part of the token.
  return text.replace(/\r?\n$/, '') || undefined;
}

function diskList(sandbox: RescueSandbox): string {
  return sandbox.disks
    .map((disk) => `${disk.name} (${String(Math.round(disk.sizeBytes / 2 ** 30))} GiB, wwn ${disk.wwn})`)
    .join(', ');
}
