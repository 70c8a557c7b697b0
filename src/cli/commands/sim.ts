import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { CloudSimulator } from '../../../sim/cloud/cloud-simulator.js';
import { checkHostRequirements } from '../../../sim/host/host-requirements.js';
import { buildTestImage } from '../../../sim/os-image/build-image.js';
import { ProcessGroup } from '../../../sim/process/process-group.js';
import { RobotSimulator } from '../../../sim/robot/robot-simulator.js';
import { terminated } from '../termination.js';

interface SimOptions {
  readonly profile: 'fast' | 'realistic';
  readonly address: string;
  readonly cloudPort: number;
  readonly robotPort: number;
  readonly robotServers: number;
  readonly stateDir?: string;
  readonly faults?: string;
  readonly boot: boolean;
  readonly output: 'text' | 'json';
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

async function readFaults(path: string | undefined): Promise<unknown[]> {
  if (path === undefined) return [];
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new Error(`--faults: cannot read ${path}: ${String(error)}`);
  });
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  } catch {
    throw new Error(`--faults: ${path} is not JSON (a fault rule or an array of them)`);
  }
}

/** Runs both simulators until SIGINT/SIGTERM; prints where they are and how to log in. */
async function runSimulators(options: SimOptions): Promise<void> {
  // Booting needs root, loop devices and sshd: say what is missing before anything starts.
  if (options.boot) checkHostRequirements();
  const faults = await readFaults(options.faults);
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'imageurl-sim-')));
  const processes = new ProcessGroup();
  // With a named state folder the simulators keep their state (and disks) between runs.
  const common = {
    processes,
    profile: options.profile,
    bootSystems: options.boot,
    address: options.address,
    persist: options.stateDir !== undefined,
    onError: (error: unknown) => {
      console.error(
        JSON.stringify({ time: new Date().toISOString(), msg: 'Simulator failure', error: String(error) }),
      );
    },
  };
  const stopping = terminated();
  const cloud = await CloudSimulator.start({
    ...common,
    stateDir: join(stateDir, 'cloud'),
    port: options.cloudPort,
  });
  const robot = await RobotSimulator.start({
    ...common,
    stateDir: join(stateDir, 'robot'),
    port: options.robotPort,
    servers: Array.from({ length: options.robotServers }, () => ({})),
  });
  try {
    for (const simulator of [cloud, robot]) simulator.faults.add(faults);
    const facts: SimFacts = {
      cloud: {
        endpoint: cloud.endpoint,
        token: cloud.token,
        admin: cloud.adminUrl,
        adminToken: cloud.adminToken,
      },
      robot: {
        endpoint: robot.endpoint,
        user: robot.user,
        password: robot.password,
        admin: robot.adminUrl,
        adminToken: robot.adminToken,
      },
      robotServers: robot.servers().map((s) => ({ number: s.number, ip: s.address })),
      profile: options.profile,
      stateDir,
    };
    if (options.output === 'json') console.log(JSON.stringify(facts));
    else printFacts(facts);
    const signal = await stopping;
    console.error(`imageurl sim: ${signal}, stopping`);
  } finally {
    await cloud.stop();
    await robot.stop();
    await processes.stopAll();
    if (options.stateDir === undefined) await rm(stateDir, { recursive: true, force: true });
  }
}

interface SimFacts {
  readonly cloud: { endpoint: string; token: string; admin: string; adminToken: string };
  readonly robot: { endpoint: string; user: string; password: string; admin: string; adminToken: string };
  readonly robotServers: readonly { number: number; ip: string }[];
  readonly profile: string;
  readonly stateDir: string;
}

function printFacts(facts: SimFacts): void {
  const { cloud, robot } = facts;
  console.log(`Hetzner Cloud API   ${cloud.endpoint}`);
  console.log(`  export HCLOUD_ENDPOINT=${cloud.endpoint} HCLOUD_TOKEN=${cloud.token}`);
  console.log(`  admin ${cloud.admin} (Authorization: Bearer ${cloud.adminToken})`);
  console.log(`Hetzner Robot       ${robot.endpoint}`);
  console.log(`  user ${robot.user}  password ${robot.password}`);
  console.log(`  admin ${robot.admin} (Authorization: Bearer ${robot.adminToken})`);
  for (const server of facts.robotServers) console.log(`  server ${server.number} at ${server.ip}`);
  console.log(`Durations ${facts.profile}; state in ${facts.stateDir}. Ctrl+C stops everything.`);
}

function osImageCommand(): Command<[string], { defaultHostname: string; payloadMib: number }> {
  return new Command('os-image')
    .description('write a raw disk image in the simulated OS format (docs/sim-os-image.md)')
    .argument('<file>', 'where to write the image')
    .option('--default-hostname <name>', 'hostname when the bootstrap data names none', 'localhost')
    .option('--payload-mib <n>', 'payload size the OS checks at boot', count(4096), 1)
    .action(async (file, options) => {
      const image = await buildTestImage({
        path: file,
        defaultHostname: options.defaultHostname,
        payloadBytes: options.payloadMib * 1024 * 1024,
      });
      console.log(
        `${file}: ${image.sizeBytes} bytes; bootstrap data at byte ${image.descriptor.bootstrapData.offset} (at most ${image.descriptor.bootstrapData.size} bytes, NUL-terminated)`,
      );
    });
}

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
    .option('--address <address>', 'loopback address the APIs listen on', '127.0.0.1')
    .option('--cloud-port <port>', 'Cloud API port (0 picks a free one)', count(65535), 0)
    .option('--robot-port <port>', 'Robot webservice port (0 picks a free one)', count(65535), 0)
    .option('--robot-servers <n>', 'dedicated servers in the Robot account', count(100), 2)
    .option(
      '--state-dir <dir>',
      'keep state, disks included, here between runs (default: a temporary folder, removed at exit)',
    )
    .option('--faults <file>', 'JSON fault rules to apply from the start (see sim/faults/fault-rules.ts)')
    .option('--no-boot', 'serve the APIs and power model only; nothing boots (no root needed)')
    .addOption(
      new Option('-o, --output <format>', 'text or json')
        .choices(['text', 'json'] as const)
        .default('text' as const),
    )
    .action(async (options) => {
      await runSimulators(options);
    });
  command.addCommand(osImageCommand());
  return command;
}
