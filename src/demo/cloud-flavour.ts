import { HCloudMachineConditions } from '../../api/conditions/index.js';
import type { HCloudMachineStatus } from '../../api/v1beta1/hcloud-machine.js';
import type { KubeClient, KubeObject } from '../kube/index.js';
import { hcloudMachines } from '../reconcilers/shared/kinds.js';
import { timeOf, type StateReader } from './boot-progress.js';
import type { DemoFlavour, FlavourContext } from './demo-flavour.js';
import { applyDemoObjects, DEMO_NAMESPACE } from './demo-objects.js';
import type { OsTarget } from './demo-report.js';

interface Machine extends KubeObject {
  spec?: { providerID?: string };
  status?: HCloudMachineStatus;
}

const statusOf = (object: KubeObject): HCloudMachineStatus => (object as Machine).status ?? {};
const SERVER_PROVISIONED = HCloudMachineConditions.ServerProvisioned.v1beta1.type;

/** HCloudMachine boot states (status.bootState/bootStateSince, the ServerProvisioned message). */
export const hcloudMachineStates: StateReader = {
  state: (object) => statusOf(object).bootState ?? '',
  since: (object) => timeOf(statusOf(object).bootStateSince),
  message: (object) => {
    const condition = statusOf(object).conditions?.find((c) => c.type === SERVER_PROVISIONED);
    return condition?.status === 'True' ? '' : (condition?.message ?? '');
  },
  finalStates: new Set(['OperatingSystemRunning', 'ProvisioningFailed']),
};

/** The Hetzner Cloud story: HCloudMachines on the Cloud simulator. */
export function cloudFlavour(context: FlavourContext): DemoFlavour {
  const { stack } = context;
  return {
    followed: hcloudMachines,
    states: hcloudMachineStates,
    noun: 'machines',
    successState: 'OperatingSystemRunning',
    controller: { settings: {}, secrets: [] },
    applying: `applying HetznerCluster, Cluster and ${String(context.machines)} Machines with HCloudMachines`,
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
