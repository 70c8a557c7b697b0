import { Command, Option } from '@commander-js/extra-typings';
import { ConfigError } from '../../kube/config/errors.js';
import { parseGoDuration } from '../../util/go-duration.js';

/** What the command was asked, checked; src/cli/try-command/run-try-command.ts runs it. */
export interface TryCommandRequest {
  readonly commandPath: string;
  readonly imageUrl: string;
  readonly disks: readonly { readonly name: string; readonly sizeBytes: number }[];
  readonly deviceString: DeviceString;
  readonly bootstrapDataFile: string | undefined;
  readonly machineName: string;
  readonly timeoutMs: number;
  readonly ociTokenFile: string | undefined;
  readonly output: 'text' | 'json';
  readonly boot: boolean;
}

/** The controller's `deviceStringType`: kernel names (`name`, CAPH's `short`) or WWNs. */
export const deviceStrings = ['name', 'short', 'wwn'] as const;
export type DeviceString = (typeof deviceStrings)[number];

const MAX_DISKS = 8;
const units: Readonly<Record<string, number>> = { M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

function invalid(flag: string, value: string, allowed: string): ConfigError {
  return new ConfigError(
    'CONFIG_INVALID_FLAG',
    `${flag}: invalid value ${JSON.stringify(value.slice(0, 40))}; allowed: ${allowed}`,
  );
}

/** `2x20G`, `20G,10G` or `1x512M`: disks sda, sdb, … of those sizes (sparse files). */
export function parseDisks(value: string): TryCommandRequest['disks'] {
  const allowed = `sizes like 20G, 512M or 2x20G, comma-separated; 1 to ${MAX_DISKS} disks of 1M to 16T`;
  const sizes = value.split(',').flatMap((part) => {
    const match = /^(?:(\d{1,2})x)?(\d{1,5})([MGT])$/i.exec(part.trim());
    if (!match) throw invalid('--disks', value, allowed);
    const bytes = Number(match[2]) * (units[(match[3] ?? '').toUpperCase()] ?? 0);
    return Array.from({ length: Number(match[1] ?? 1) }, () => bytes);
  });
  if (sizes.length < 1 || sizes.length > MAX_DISKS || sizes.some((b) => b < 2 ** 20 || b > 16 * 2 ** 40)) {
    throw invalid('--disks', value, allowed);
  }
  return sizes.map((sizeBytes, index) => ({ name: `sd${String.fromCharCode(97 + index)}`, sizeBytes }));
}

function parseTimeout(value: string): number {
  const ms = parseGoDuration(value);
  if (ms === undefined || ms < 1000 || ms > 24 * 3_600_000) {
    throw invalid('--timeout', value, 'a Go duration from 1s to 24h, e.g. 7m or 90s');
  }
  return ms;
}

function parseMachineName(value: string): string {
  if (!/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/.test(value)) {
    throw invalid('--machine-name', value, 'a lowercase DNS name of up to 63 characters');
  }
  return value;
}

/**
 * `imageurl try-command`: runs an image-url-command the way the controller would, in a
 * rescue-like sandbox on this machine, and says what the controller would conclude and what
 * landed on the disks. Only the options live here, so `--help` loads nothing else; the run
 * (and the simulated server, from a source checkout) is loaded when the command runs.
 */
export function tryCommandCommand(): Command<[string]> {
  return new Command('try-command')
    .description(
      'run an image-url-command as the controller would, in a local rescue-like sandbox (real sshd, loop-device disks), and report its verdict and what it wrote to the disks (root)',
    )
    .argument('<command>', 'the command file (named image-url-command-…, as in the controller’s /shared)')
    .requiredOption('--image-url <url>', 'first argument, byte-exact')
    .option(
      '--disks <sizes>',
      'the sandbox disks, e.g. 2x20G or 20G,10G (sparse files)',
      parseDisks,
      parseDisks('20G'),
    )
    .addOption(
      new Option(
        '--device-string <type>',
        'the root devices argument: kernel names or WWNs (deviceStringType)',
      )
        .choices(deviceStrings)
        .default('name' as const),
    )
    .option('--bootstrap-data <file>', 'bootstrap data (default: a small #cloud-config)')
    .option('--machine-name <name>', 'third argument', parseMachineName, 'try-command')
    .option(
      '--timeout <duration>',
      'the command timeout (the controller’s default: 7m)',
      parseTimeout,
      7 * 60_000,
    )
    .option(
      '--oci-token-file <file>',
      'OCI_REGISTRY_AUTH_TOKEN from this file (or from $IMAGEURL_OCI_REGISTRY_AUTH_TOKEN; never a flag value)',
    )
    .addOption(
      new Option('-o, --output <format>', 'text or json')
        .choices(['text', 'json'] as const)
        .default('text' as const),
    )
    .option('--boot', 'boot the written disk under QEMU (not available yet: exits 2)')
    .addHelpText(
      'after',
      '\nExit status: 0 passed, 1 the command failed (the reason the controller would give), 2 could not run.\nGuide: docs/command-authors.md',
    )
    .action(async (commandPath, options) => {
      const { runTryCommand } = await import('../try-command/run-try-command.js');
      process.exitCode = await runTryCommand({
        commandPath,
        imageUrl: options.imageUrl,
        disks: options.disks,
        deviceString: options.deviceString,
        bootstrapDataFile: options.bootstrapData,
        machineName: options.machineName,
        timeoutMs: options.timeout,
        ociTokenFile: options.ociTokenFile,
        output: options.output,
        boot: options.boot === true,
      });
    });
}
