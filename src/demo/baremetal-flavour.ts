import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { HetznerBareMetalHostConditions as C } from '../../api/conditions/index.js';
// The controller's bookkeeping on the host (JSON; provisioningStateSince among it).
import { HOST_STATE_ANNOTATION } from '../../api/v1beta1/annotations.js';
import { RobotSimulator } from '../../sim/robot/robot-simulator.js';
import { defaultBareMetalSettings, hostErrorTypes, type HostRequeueSettings } from '../baremetal/index.js';
import type { KubeClient, KubeObject } from '../kube/index.js';
import { bareMetalHosts, bareMetalMachines } from '../reconcilers/shared/kinds.js';
import { timeOf, type StateReader } from './boot-progress.js';
import { applyBareMetalObjects, type DemoServer } from './baremetal-objects.js';
import { counted } from './counted.js';
import type { DemoFlavour, FlavourContext } from './demo-flavour.js';
import { DEMO_NAMESPACE } from './demo-objects.js';
import type { OsTarget } from './demo-report.js';
import { scaledDurations } from './demo-stack.js';

const MiB = 1024 * 1024;
const FIRST_SERVER = 2_345_601;
const READY = C.Ready.v1beta1.type;
const STILL_PROVISIONING = C.ProvisionSucceeded.v1beta1.reasons.StillProvisioning;
const PROVISION_SUCCEEDED = C.ProvisionSucceeded.v1beta1.type;
/** Reasons the controller keeps waiting on (it looks again) but that only the user can fix. */
const NEEDS_THE_USER: ReadonlySet<string> = new Set([
  C.ProvisionSucceeded.v1beta1.reasons.ImageURLCommandNotAccessible,
]);
/** Error types after which Cluster API remediates instead of the host trying again. */
const GIVEN_UP: ReadonlySet<string> = new Set([hostErrorTypes.fatal, hostErrorTypes.permanent]);

interface Host extends KubeObject {
  spec?: {
    consumerRef?: { name?: string };
    status?: {
      provisioningState?: string;
      ipv4?: string;
      errorType?: string;
      errorMessage?: string;
      conditions?: { type: string; status: string; reason?: string; message?: string }[];
    };
  };
}

interface Machine extends KubeObject {
  spec?: { providerID?: string };
}

function stateSince(object: KubeObject): number | undefined {
  const raw = object.metadata.annotations?.[HOST_STATE_ANNOTATION] ?? '';
  try {
    return timeOf((JSON.parse(raw) as { provisioningStateSince?: string }).provisioningStateSince);
  } catch {
    return undefined;
  }
}

/** HetznerBareMetalHost provisioning states (spec.status.provisioningState, its Ready message). */
export const bareMetalHostStates: StateReader = {
  state: (object) => (object as Host).spec?.status?.provisioningState ?? '',
  since: stateSince,
  message: (object) => {
    const ready = (object as Host).spec?.status?.conditions?.find((c) => c.type === READY);
    // CAPH's generic "host (…) is still provisioning - state …" only repeats the state.
    const generic = ready?.status === 'True' || ready?.reason === STILL_PROVISIONING;
    return ready === undefined || generic ? '' : (ready.message ?? '');
  },
  finalStates: new Set(['provisioned']),
  blocked: blockedHost,
};

type HostStatus = NonNullable<NonNullable<Host['spec']>['status']>;

/** A host that gave up (a fatal or permanent error) or waits for the user, with its reason. */
function blockedHost(object: KubeObject): string {
  const status: HostStatus = (object as Host).spec?.status ?? {};
  const condition = status.conditions?.find((c) => c.type === PROVISION_SUCCEEDED && c.status === 'False');
  const reason = condition?.reason ?? '';
  const message = condition?.message ?? '';
  if (NEEDS_THE_USER.has(reason)) return `${reason}: ${message}`;
  return givenUp(status, reason, message);
}

function givenUp(status: HostStatus, reason: string, message: string): string {
  const errorType = status.errorType ?? '';
  if (!GIVEN_UP.has(errorType)) return '';
  return `${reason || errorType}: ${status.errorMessage ?? message}`;
}

/** The controller's waits between looks, scaled like the simulated durations (at least 100 ms). */
function scaledRequeue(scale: number): HostRequeueSettings {
  const defaults: Record<string, number> = { ...defaultBareMetalSettings().requeue };
  const scaled = Object.entries(defaults).map(([key, ms]) => [key, Math.max(100, Math.round(ms * scale))]);
  return Object.fromEntries(scaled) as HostRequeueSettings;
}

/**
 * The dedicated-server story: starts the Robot simulator with one server per machine (one
 * 64 MiB disk `sda` with a WWN each) that boots real rescue and installed systems, and offers
 * each as a HetznerBareMetalHost that a HetznerBareMetalMachine claims.
 */
export async function startBareMetalFlavour(context: FlavourContext): Promise<DemoFlavour> {
  const { stack, step, timeScale } = context;
  const servers: DemoServer[] = Array.from({ length: context.machines }, (_, i) => ({
    host: `demo-host-${String(i + 1)}`,
    serverID: FIRST_SERVER + i,
    wwn: `0x5000c500${String(FIRST_SERVER + i).padStart(8, '0')}`,
  }));
  const done = step(
    `starting the Hetzner Robot simulator with ${counted(servers.length, 'dedicated server')}`,
  );
  const robot = await RobotSimulator.start({
    stateDir: join(context.paths.work, 'robot'),
    durations: { ...scaledDurations(timeScale), manualResetMs: Math.round(10 * 60_000 * timeScale) },
    servers: servers.map((server) => ({
      number: server.serverID,
      name: server.host,
      disks: [{ name: 'sda', sizeBytes: 64 * MiB, wwn: server.wwn }],
    })),
  });
  context.cleanups.push(() => robot.stop());
  done(
    `${robot.endpoint} (${servers.length === 1 ? 'server' : 'servers'} ${servers.map((s) => String(s.serverID)).join(', ')}, one 64 MiB disk sda each)`,
  );
  return {
    followed: bareMetalHosts,
    states: bareMetalHostStates,
    noun: 'host',
    successState: 'provisioned',
    controller: {
      settings: { robotEndpoint: robot.endpoint, bareMetal: { requeue: scaledRequeue(timeScale) } },
      secrets: [robot.password],
    },
    applying: `applying HetznerCluster, Cluster, ${counted(servers.length, 'HetznerBareMetalHost')} and ${counted(context.machines, 'Machine')} with ${context.machines === 1 ? 'a HetznerBareMetalMachine' : 'HetznerBareMetalMachines'}`,
    apply: async (client, machines) => {
      await applyBareMetalObjects(client, {
        hcloudToken: stack.cloud.token,
        rescueKey: {
          name: context.rescueKeyName,
          publicKey: stack.rescueKey.publicKey,
          privateKey: stack.rescueKey.privateKey,
        },
        robot: { user: robot.user, password: robot.password },
        osKey: stack.osKey,
        servers,
        machines,
        imageURL: stack.imageURL,
        imageURLCommand: context.imageURLCommand,
      });
      return `namespace ${DEMO_NAMESPACE}; rootDeviceHints by WWN; image.url ${stack.imageURL}, imageURLCommand ${context.imageURLCommand}`;
    },
    osTargets: bareMetalTargets,
    lookAround: {
      resources: 'hetznerbaremetalhosts,hetznerbaremetalmachines',
      describe: 'hetznerbaremetalhost demo-host-1',
      endpoints: [`# the Robot simulator: ${robot.endpoint} (credentials in Secret demo-hetzner)`],
    },
  };
}

/**
 * Each provisioned host's installed OS, named by the machine that claimed it. The machine's
 * providerID follows the host's state within a reconcile; it is awaited briefly.
 */
async function bareMetalTargets(client: KubeClient, deadlineMs = 15_000): Promise<OsTarget[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const hosts = (await client.list<Host>(bareMetalHosts, { namespace: DEMO_NAMESPACE })).items;
    const machines = (await client.list<Machine>(bareMetalMachines, { namespace: DEMO_NAMESPACE })).items;
    const providerIDs = new Map(machines.map((m) => [m.metadata.name ?? '', m.spec?.providerID ?? '']));
    const targets = hosts.map((host) => targetOf(host, providerIDs));
    if (targets.every((t) => t.providerID !== '') || Date.now() >= deadline) return targets;
    await delay(250);
  }
}

/** The host's name, provisioning state, claiming machine and address ('' when absent). */
function factsOf(host: Host): { name: string; state: string; machine: string; ipv4: string } {
  const status = host.spec?.status;
  return {
    name: host.metadata.name ?? '',
    state: status?.provisioningState ?? '',
    machine: host.spec?.consumerRef?.name ?? '',
    ipv4: status?.ipv4 ?? '',
  };
}

function targetOf(host: Host, providerIDs: ReadonlyMap<string, string>): OsTarget {
  const { name, state, machine, ipv4 } = factsOf(host);
  const provisioned = state === 'provisioned' && machine !== '' && ipv4 !== '';
  return {
    name: machine || name,
    providerID: providerIDs.get(machine) ?? '',
    address: provisioned ? ipv4 : undefined,
    notRunning: `host ${name}: ${state || 'available'}`,
    hostname: `bm-${machine}`,
    hostnameOrigin: "CAPH's bm-<machine> host name",
  };
}
