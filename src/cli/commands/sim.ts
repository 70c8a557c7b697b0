import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { importFromCheckout } from '../checkout-module.js';
import { terminated } from '../termination.js';

/** What sim/command/run-simulators.ts offers this command, loaded only when it runs. */
export interface SimModule {
  readonly runSimulators: (options: SimRunOptions, stopped: () => Promise<string>) => Promise<void>;
  readonly writeOsImage: (
    file: string,
    options: { readonly defaultHostname: string; readonly payloadMib: number },
  ) => Promise<void>;
}

interface SimRunOptions {
  readonly profile: 'fast' | 'realistic';
  readonly address: string;
  readonly cloudPort?: number;
  readonly robotPort?: number;
  readonly robotServers: number;
  readonly stateDir?: string;
  readonly faults?: string;
  readonly boot: boolean;
  readonly seed?: number;
  readonly timeScale: number;
  readonly whileBooting: 'refuse' | 'drop';
  readonly output: 'text' | 'json';
}

function simModule(): Promise<SimModule> {
  return importFromCheckout(new URL('../../../sim/command/run-simulators.js', import.meta.url), 'sim');
}

function count(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > max)
      throw new InvalidArgumentError(
        `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: 0 to ${max}`,
      );
    return n;
  };
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: a number above 0, at most 100`,
    );
  return n;
}

function osImageCommand(): Command<[string], { defaultHostname: string; payloadMib: number }> {
  return new Command('os-image')
    .description('write a raw disk image in the simulated OS format (docs/sim-os-image.md)')
    .argument('<file>', 'where to write the image')
    .option('--default-hostname <name>', 'hostname when the bootstrap data names none', 'localhost')
    .option('--payload-mib <n>', 'payload size the OS checks at boot', count(4096), 1)
    .action(async (file, options) => {
      await (await simModule()).writeOsImage(file, options);
    });
}

const STATE_DIR_HELP = `
With --state-dir DIR, a restarted simulator answers where and as the last one did:
  DIR/sim.lock          the running instance's pid: a second one exits 1 naming it; a lock
                        left by a process that no longer runs is taken over, with a note
  DIR/sim.json          ports, token and credentials (mode 0600); --cloud-port and
                        --robot-port override the ports
  DIR/cloud, DIR/robot  servers, keys, actions and disks
A state file that cannot be used is named, and the command exits 1.`;

/** `imageurl sim`: the Hetzner Cloud and Robot simulators with servers that really boot. */
export function simCommand(): Command {
  const command = new Command('sim')
    .description(
      'run the Hetzner Cloud and Robot API simulators (servers boot real rescue and OS hosts) until Ctrl+C',
    )
    .addOption(
      new Option('--profile <profile>', 'action and boot durations')
        .choices(['fast', 'realistic'] as const)
        .default('realistic' as const),
    )
    .addOption(
      new Option('--fast', 'shorthand for --profile fast (near-zero durations, for tests)').implies({
        profile: 'fast',
      }),
    )
    .option(
      '--seed <n>',
      "seeds the per-server durations of the realistic profile (default: the last run's with --state-dir, else random; printed)",
      count(4294967295),
    )
    .option('--time-scale <x>', 'multiplies every action and boot duration', positive, 1)
    .addOption(
      new Option('--while-booting <mode>', 'what a connection to port 22 of a booting server meets')
        .choices(['refuse', 'drop'] as const)
        .default('refuse' as const),
    )
    .option('--address <address>', 'loopback address the APIs listen on', '127.0.0.1')
    .option(
      '--cloud-port <port>',
      "Cloud API port; 0 picks a free one (default: with --state-dir the last run's, else a free one)",
      count(65535),
    )
    .option(
      '--robot-port <port>',
      "Robot webservice port; 0 picks a free one (default: with --state-dir the last run's, else a free one)",
      count(65535),
    )
    .option('--robot-servers <n>', 'dedicated servers in the Robot account', count(100), 2)
    .option(
      '--state-dir <dir>',
      'keep state, disks, ports, token and credentials here between runs; one simulator at a time (default: a temporary folder, removed at exit)',
    )
    .option('--faults <file>', 'JSON fault rules to apply from the start (see sim/faults/fault-rules.ts)')
    .option('--no-boot', 'serve the APIs and power model only; nothing boots (no root needed)')
    .addOption(
      new Option('-o, --output <format>', 'text or json')
        .choices(['text', 'json'] as const)
        .default('text' as const),
    )
    .addHelpText('after', STATE_DIR_HELP)
    .action(async (options) => {
      await (await simModule()).runSimulators(options, terminated);
    });
  command.addCommand(osImageCommand());
  return command;
}
