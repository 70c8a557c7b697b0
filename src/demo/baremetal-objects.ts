import { API_VERSION } from '../../api/v1beta1/index.js';
import { secretKind, type KubeClient, type KubeObject } from '../kube/index.js';
import { bareMetalHosts, bareMetalMachines } from '../reconcilers/shared/kinds.js';
import {
  applyCapiMachine,
  applyDemoCluster,
  DEMO_NAMESPACE,
  meta,
  secret,
  type DemoClusterInput,
} from './demo-objects.js';

const KEY_REF = { name: 'sshkey-name', publicKey: 'ssh-publickey', privateKey: 'ssh-privatekey' };
const OS_SSH_SECRET = 'demo-os-ssh';

/** One dedicated server the demo offers as a HetznerBareMetalHost. */
export interface DemoServer {
  readonly host: string;
  readonly serverID: number;
  /** The WWN of its one disk, `sda`: the host's rootDeviceHints. */
  readonly wwn: string;
}

export interface BareMetalObjectsInput extends DemoClusterInput {
  readonly robot: { readonly user: string; readonly password: string };
  /** The key the machines' sshSpec names: the test image lets it log in to the installed OS. */
  readonly osKey: { readonly publicKey: string; readonly privateKey: string };
  readonly servers: readonly DemoServer[];
  readonly machines: readonly string[];
  readonly imageURL: string;
  readonly imageURLCommand: string;
}

/**
 * What a user (and Cluster API, which the demo does not run) would create for dedicated
 * servers: the HetznerCluster with Robot credentials and the rescue key, one HetznerBareMetalHost
 * per server (root device by WWN), and per machine a Machine and its HetznerBareMetalMachine
 * (installImage.image.url + imageURLCommand, sshSpec with the OS key). The bootstrap data names
 * the host as CAPH does: `bm-<machine>`.
 */
export async function applyBareMetalObjects(client: KubeClient, input: BareMetalObjectsInput): Promise<void> {
  await applyDemoCluster(client, input);
  await client.create(
    secretKind,
    secret(OS_SSH_SECRET, {
      'sshkey-name': 'demo-os',
      'ssh-publickey': input.osKey.publicKey,
      'ssh-privatekey': input.osKey.privateKey,
    }),
  );
  for (const server of input.servers) await applyHost(client, server);
  await Promise.all(input.machines.map((name) => applyMachine(client, input, name)));
}

async function applyHost(client: KubeClient, server: DemoServer): Promise<void> {
  await client.create(bareMetalHosts, {
    apiVersion: API_VERSION,
    kind: bareMetalHosts.kind,
    metadata: { name: server.host, namespace: DEMO_NAMESPACE },
    spec: { serverID: server.serverID, rootDeviceHints: { wwn: server.wwn }, maintenanceMode: false },
  } as KubeObject);
}

async function applyMachine(client: KubeClient, input: BareMetalObjectsInput, name: string): Promise<void> {
  const owner = await applyCapiMachine(client, {
    name,
    kind: bareMetalMachines.kind,
    hostname: `bm-${name}`,
  });
  await client.create(bareMetalMachines, {
    apiVersion: API_VERSION,
    kind: bareMetalMachines.kind,
    metadata: { ...meta(name), ownerReferences: [owner] },
    spec: {
      installImage: {
        imageURLCommand: input.imageURLCommand,
        image: { url: input.imageURL },
        partitions: [],
        swraid: 0,
      },
      sshSpec: { secretRef: { name: OS_SSH_SECRET, key: KEY_REF }, portAfterInstallImage: 22 },
    },
  } as KubeObject);
}
