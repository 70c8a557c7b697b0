import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSimulator } from '../cloud/cloud-simulator.js';
import { checkHostRequirements } from '../host/host-requirements.js';
import { buildTestImage } from '../os-image/build-image.js';
import { ProcessGroup } from '../process/process-group.js';
import { RobotSimulator } from '../robot/robot-simulator.js';

export interface SimOptions {
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

export interface OsImageOptions {
  readonly defaultHostname: string;
  readonly payloadMib: number;
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

/**
 * `imageurl sim`: runs both simulators until `stopped` resolves (the CLI passes the first
 * SIGINT/SIGTERM); prints where they are and how to log in.
 */
export async function runSimulators(options: SimOptions, stopped: () => Promise<string>): Promise<void> {
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
  const stopping = stopped();
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

/** `imageurl sim os-image`: a raw disk image in the simulated OS format (docs/sim-os-image.md). */
export async function writeOsImage(file: string, options: OsImageOptions): Promise<void> {
  const image = await buildTestImage({
    path: file,
    defaultHostname: options.defaultHostname,
    payloadBytes: options.payloadMib * 1024 * 1024,
  });
  console.log(
    `${file}: ${image.sizeBytes} bytes; bootstrap data at byte ${image.descriptor.bootstrapData.offset} (at most ${image.descriptor.bootstrapData.size} bytes, NUL-terminated)`,
  );
}
