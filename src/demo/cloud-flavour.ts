import { HCloudMachineConditions } from '../../api/conditions/index.js';
import type { HCloudMachineStatus } from '../../api/v1beta1/hcloud-machine.js';
import type { KubeClient, KubeObject } from '../kube/index.js';
import { hcloudMachines } from '../reconcilers/shared/kinds.js';
import { timeOf, type StateReader } from './boot-progress.js';
import type { DemoFlavour, FlavourContext } from './demo-flavour.js';
import { applyDemoObjects, DEMO_NAMESPACE } from './demo-objects.js';
import { counted } from './counted.js';
import type { OsTarget } from './demo-report.js';

interface Machine extends KubeObject {
  spec?: { providerID?: string };
  status?: HCloudMachineStatus;
}

const statusOf = (object: KubeObject): HCloudMachineStatus => (object as Machine).status ?? {};
const SERVER_PROVISIONED = HCloudMachineConditions.ServerProvisioned.v1beta1.type;
const SERVER_CREATED = HCloudMachineConditions.ServerCreated.v1beta1.type;
/** Reasons the controller keeps waiting on (it looks again) but that only the user can fix. */
const NEEDS_THE_USER: ReadonlySet<string> = new Set([
  HCloudMachineConditions.ServerProvisioned.v1beta1.reasons.ImageURLCommandNotAccessible,
]);

/** A machine that failed (ProvisioningFailed) or waits for the user, with the reason it shows. */
function blockedMachine(object: KubeObject): string {
  const status = statusOf(object);
  const conditions = (status.conditions ?? []).filter(
    (c) => c.status === 'False' && (c.type === SERVER_PROVISIONED || c.type === SERVER_CREATED),
  );
  const waiting = conditions.find((c) => NEEDS_THE_USER.has(c.reason ?? ''));
  if (waiting) return `${waiting.reason ?? ''}: ${waiting.message ?? 'no message'}`;
  if (status.bootState !== 'ProvisioningFailed') return '';
  const failed = conditions[0];
  return `${failed?.reason ?? 'ProvisioningFailed'}: ${failed?.message ?? 'no message'}`;
}

/** HCloudMachine boot states (status.bootState/bootStateSince, the ServerProvisioned message). */
export const hcloudMachineStates: StateReader = {
  state: (object) => statusOf(object).bootState ?? '',
  since: (object) => timeOf(statusOf(object).bootStateSince),
  message: (object) => {
    const condition = statusOf(object).conditions?.find((c) => c.type === SERVER_PROVISIONED);
    return condition?.status === 'True' ? '' : (condition?.message ?? '');
  },
  finalStates: new Set(['OperatingSystemRunning', 'ProvisioningFailed']),
  blocked: blockedMachine,
};

/** The Hetzner Cloud story: HCloudMachines on the Cloud simulator. */
export function cloudFlavour(context: FlavourContext): DemoFlavour {
  const { stack } = context;
  return {
    followed: hcloudMachines,
    states: hcloudMachineStates,
    noun: 'machine',
    successState: 'OperatingSystemRunning',
    controller: { settings: {}, secrets: [] },
    applying: `applying HetznerCluster, Cluster and ${counted(context.machines, 'Machine')} with ${context.machines === 1 ? 'an HCloudMachine' : 'HCloudMachines'}`,
    apply: async (client, machines) => {
      await applyDemoObjects(client, {
        hcloudToken: stack.cloud.token,
        rescueKey: {
          name: context.rescueKeyName,
          publicKey: stack.rescueKey.publicKey,
          privateKey: stack.rescueKey.privateKey,
        },
        machines,
        imageURL: stack.imageURL,
        imageURLCommand: context.imageURLCommand,
      });
      return `namespace ${DEMO_NAMESPACE}; imageURL ${stack.imageURL}, imageURLCommand ${context.imageURLCommand}`;
    },
    osTargets: hcloudTargets,
    lookAround: { resources: 'hcloudmachines', describe: 'hcloudmachine demo-worker-1', endpoints: [] },
  };
}

async function hcloudTargets(client: KubeClient): Promise<OsTarget[]> {
  const list = await client.list<Machine>(hcloudMachines, { namespace: DEMO_NAMESPACE });
  return list.items.map((machine) => {
    const status = machine.status ?? {};
    const running = status.bootState === 'OperatingSystemRunning';
    const address = status.addresses?.find((a) => a.type === 'ExternalIP')?.address;
    const name = machine.metadata.name ?? '';
    return {
      name,
      providerID: machine.spec?.providerID ?? '',
      address: running ? address : undefined,
      notRunning: status.bootState ?? 'no boot state',
      hostname: name,
      hostnameOrigin: 'from its bootstrap data',
    };
  });
}
