import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSimulator } from '../cloud/cloud-simulator.js';
import { checkHostRequirements } from '../host/host-requirements.js';
import { buildTestImage } from '../os-image/build-image.js';
import { ProcessGroup } from '../process/process-group.js';
import { RobotSimulator } from '../robot/robot-simulator.js';
import { identityOf, printFacts, simFacts } from './sim-facts.js';
import { loadSimIdentity, saveSimIdentity, type SimIdentity } from './sim-identity.js';
import { chosenPort, listening } from './sim-ports.js';
import { lockStateDir } from './state-dir-lock.js';

export interface SimOptions {
  readonly profile: 'fast' | 'realistic';
  readonly address: string;
  /** Undefined: the last run's (with a state folder), else a free one; 0: a free one. */
  readonly cloudPort?: number;
  readonly robotPort?: number;
  readonly robotServers: number;
  readonly stateDir?: string;
  readonly faults?: string;
  readonly boot: boolean;
  /** Per-server duration draws (default: the saved one with a state folder, else random). */
  readonly seed?: number;
  readonly timeScale?: number;
  readonly whileBooting?: 'refuse' | 'drop';
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
 * SIGINT/SIGTERM); prints where they are and how to log in. With `stateDir`, the folder is
 * locked against a second instance, and the state, endpoints and credentials of the last run
 * come back.
 */
export async function runSimulators(options: SimOptions, stopped: () => Promise<string>): Promise<void> {
  // Booting needs root, loop devices and sshd: say what is missing before anything starts.
  if (options.boot) checkHostRequirements();
  const faults = await readFaults(options.faults);
  const named = options.stateDir;
  const lock = named === undefined ? undefined : await lockStateDir(named, (text) => console.error(text));
  const stateDir = named ?? (await mkdtemp(join(tmpdir(), 'imageurl-sim-')));
  try {
    // With a named state folder the simulators keep their state (and disks) between runs.
    const saved = named === undefined ? undefined : await loadSimIdentity(named);
    await serve(options, { stateDir, persist: named !== undefined, faults, saved }, stopped);
  } finally {
    if (named === undefined) await rm(stateDir, { recursive: true, force: true });
    await lock?.release();
  }
}

interface SimRun {
  readonly stateDir: string;
  readonly persist: boolean;
  readonly faults: unknown[];
  readonly saved: SimIdentity | undefined;
}

/** The seed asked for, else the one the saved run drew with (the same durations again). */
function seedOf(options: SimOptions, saved: SimIdentity | undefined): { seed?: number } {
  const seed = options.seed ?? saved?.cloud.seed;
  return seed === undefined ? {} : { seed };
}

/** Starts both simulators; stops whatever started when something fails, or at `stopped`. */
async function serve(options: SimOptions, run: SimRun, stopped: () => Promise<string>): Promise<void> {
  const { stateDir, saved } = run;
  const processes = new ProcessGroup();
  const common = {
    processes,
    profile: options.profile,
    bootSystems: options.boot,
    address: options.address,
    persist: run.persist,
    onError: (error: unknown) => {
      console.error(
        JSON.stringify({ time: new Date().toISOString(), msg: 'Simulator failure', error: String(error) }),
      );
    },
  };
  const stopping = stopped();
  let cloud: CloudSimulator | undefined;
  let robot: RobotSimulator | undefined;
  try {
    const cloudPort = chosenPort('--cloud-port', options.cloudPort, saved?.cloud.port, stateDir);
    cloud = await listening(cloudPort, () =>
      CloudSimulator.start({
        ...common,
        ...(saved && { token: saved.cloud.token, adminToken: saved.cloud.adminToken }),
        stateDir: join(stateDir, 'cloud'),
        port: cloudPort.port,
        timeScale: options.timeScale ?? 1,
        whileBooting: options.whileBooting ?? 'refuse',
        ...seedOf(options, saved),
      }),
    );
    const robotPort = chosenPort('--robot-port', options.robotPort, saved?.robot.port, stateDir);
    robot = await listening(robotPort, () =>
      RobotSimulator.start({
        ...common,
        ...(saved && {
          user: saved.robot.user,
          password: saved.robot.password,
          adminToken: saved.robot.adminToken,
        }),
        stateDir: join(stateDir, 'robot'),
        port: robotPort.port,
        servers: Array.from({ length: options.robotServers }, () => ({})),
      }),
    );
    for (const simulator of [cloud, robot]) simulator.faults.add(run.faults);
    if (run.persist) await saveSimIdentity(stateDir, identityOf(cloud, robot));
    const facts = simFacts(cloud, robot, { profile: options.profile, stateDir });
    if (options.output === 'json') console.log(JSON.stringify(facts));
    else printFacts(facts);
    console.error(`imageurl sim: ${await stopping}, stopping`);
  } finally {
    await cloud?.stop();
    await robot?.stop();
    await processes.stopAll();
  }
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
