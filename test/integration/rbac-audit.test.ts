import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CAPI_API_VERSION } from '../../api/cluster-api.js';
import { API_VERSION } from '../../api/v1beta1/index.js';
import {
  CLUSTER_NAME_LABEL,
  eventKind,
  machineKind,
  type KindRef,
  type KubeObject,
} from '../../src/kube/index.js';
import { hcloudRemediations } from '../../src/reconcilers/hcloud-remediation/index.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';
import { auditedRequests, denied, grantsOf, usage, writeAuditPolicy } from '../support/audit-log.js';
import {
  bareMetalHostsKind,
  bareMetalMachinesKind,
  type BareMetalHost,
  type BareMetalMachine,
} from '../support/bare-metal-objects.js';
import {
  createBareMetalClusterObjects,
  createBareMetalHost,
  createMachine,
} from '../support/bare-metal-provisioning-objects.js';
import { commands, startBareMetalWorld, type BareMetalWorld } from '../support/bare-metal-provisioning.js';
import { ProcessGroup, startDeploymentController } from '../support/deployment-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { eventually, testClient } from '../support/kube-runtime-fixtures.js';
import { addMachine, registerRescueKey, writeCommand, type MachineEnv } from '../support/machine-env.js';
import { hcloudMachinesKind, hetznerClusters } from '../support/provisioning-objects.js';
import {
  applyObjects,
  loginAsServiceAccount,
  type InClusterLogin,
} from '../support/service-account-login.js';
import { renderShippedManifests, type ShippedManifests } from '../support/shipped-manifests.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const MiB = 1024 * 1024;
const SERVER = 301;
const WWN = '0x5000c50030100';
const HCLOUD = { namespace: 'rbac-hcloud', machine: 'rbac-hcloud' } as const;
const BARE_METAL = {
  namespace: 'rbac-baremetal',
  cluster: 'bm-cluster',
  host: `host-${SERVER}`,
  machine: 'rbac-bm',
};
const HCLOUD_COMMAND = 'image-url-command-hcloud';
const HCLOUD_SCRIPT = '#!/bin/bash\necho "installing $1 for $3 onto /dev/$4"\necho IMAGE_URL_DONE\n';

/**
 * Grants the run does not use, each with the reason it stays granted. Keys as `group resource
 * verb` (core group: `core`).
 */
const UNUSED_ON_PURPOSE: Readonly<Record<string, string>> = {
  'cluster.x-k8s.io machines patch':
    'the remediate-machine annotation goes only on a Machine whose provisioning failed for good (src/reconcilers/shared/remediation.ts); both machines here succeed',
  'coordination.k8s.io leases watch':
    'only a replica waiting for the Lease watches it (a standby, the new pod of a rolling update); the one replica here takes the free Lease at once and mostly stops its watch before it opens',
};

interface WaitEvent extends KubeObject {
  reason?: string;
  series?: { count: number };
}

interface HCloudMachine extends KubeObject {
  status?: { bootState?: string };
}

describe('the shipped RBAC, audited (controller with the Deployment’s args under its ServiceAccount + kube-apiserver with RBAC and an audit log + Cloud and Robot simulators)', () => {
  let scratch = '';
  let manifests: ShippedManifests;
  let login: InClusterLogin;
  let auditLog = '';
  let world: BareMetalWorld | undefined;
  let cloud: SimCloudEnv | undefined;
  let env: MachineEnv | undefined;
  const processes = new ProcessGroup();
  let controller: SupervisedProcess | undefined;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-rbac-'));
    manifests = await renderShippedManifests();
    const { namespace, name } = manifests.serviceAccount;
    const username = `system:serviceaccount:${namespace}:${name}`;
    const policyFile = join(scratch, 'audit-policy.json');
    auditLog = join(scratch, 'audit.log');
    await writeAuditPolicy(policyFile, username);
    // allSettled: whichever started is stopped by after() even when the other failed.
    const [startedWorld, startedCloud] = await Promise.allSettled([
      startBareMetalWorld({
        servers: [
          { number: SERVER, name: 'dedicated-1', disks: [{ name: 'sda', sizeBytes: 64 * MiB, wwn: WWN }] },
        ],
        bareMetal: {},
        controller: 'none',
        controlPlane: { audit: { policyFile, logPath: auditLog } },
      }),
      startSimCloud(),
    ]);
    if (startedWorld.status === 'fulfilled') world = startedWorld.value;
    if (startedCloud.status === 'fulfilled') cloud = startedCloud.value;
    if (startedWorld.status === 'rejected') throw startedWorld.reason;
    if (startedCloud.status === 'rejected') throw startedCloud.reason;
    const w = startedWorld.value;
    const c = startedCloud.value;
    const config = w.controlPlane.kubeConfig();
    const rescueKey = await registerRescueKey(c);
    const machineEnv: MachineEnv = {
      controlPlane: w.controlPlane,
      cloud: c,
      api: testClient(config),
      commandsDir: w.commandsDir,
      scratchDir: w.scratch,
      rescueKey,
      stop: () => Promise.resolve(),
    };
    env = machineEnv;
    await writeCommand(machineEnv, HCLOUD_COMMAND, HCLOUD_SCRIPT);
    await applyObjects(config, manifests.rbac);
    login = await loginAsServiceAccount(config, manifests.serviceAccount, join(scratch, 'serviceaccount'));
    assert.equal(login.username, username);
    const webhookCertDir = join(scratch, 'serving-certs');
    await createCertDir(webhookCertDir);
    controller = await startDeploymentController(processes, {
      manager: manifests.manager,
      endpoints: {
        commandsDir: w.commandsDir,
        webhookCertDir,
        hcloudEndpoint: c.sim.endpoint,
        robotEndpoint: w.robot.endpoint,
      },
      login,
      secretEnv: { OCI_REGISTRY_AUTH_TOKEN: w.registryToken },
    });
  });

  after(async () => {
    try {
      await processes.stopAll({ graceMs: 10_000 });
      env?.api.transport.close();
      await cloud?.stop();
      await world?.stop();
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
  });

  /** Adds the controller's last output to a failure: that is where the explanation usually is. */
  async function explained(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      const output = controller?.output.text().slice(-12_000) ?? '';
      throw new Error(`${(error as Error).message}\n--- controller\n${output}`, { cause: error });
    }
  }

  async function provisionHCloudMachine(e: MachineEnv): Promise<void> {
    await addMachine(e, HCLOUD.machine, HCLOUD_COMMAND);
    await eventually(
      'the HCloudMachine to reach OperatingSystemRunning',
      async () =>
        (await e.api.client.get<HCloudMachine>(hcloudMachinesKind, HCLOUD.namespace, HCLOUD.machine)).status
          ?.bootState === 'OperatingSystemRunning',
      300_000,
    );
  }

  /**
   * What a MachineHealthCheck does for an unhealthy node: an HCloudRemediation named and owned
   * by the Machine. With retryLimit 1 the controller reboots the server once, then marks the
   * Machine for replacement (its status) — every remediation request the role grants.
   */
  async function remediateHCloudMachine(e: MachineEnv): Promise<void> {
    const { client } = e.api;
    const owner = await client.get<KubeObject>(machineKind, HCLOUD.namespace, HCLOUD.machine);
    await client.create(hcloudRemediations, {
      apiVersion: API_VERSION,
      kind: 'HCloudRemediation',
      metadata: {
        name: HCLOUD.machine,
        namespace: HCLOUD.namespace,
        labels: { [CLUSTER_NAME_LABEL]: 'my-cluster' },
        ownerReferences: [
          {
            apiVersion: CAPI_API_VERSION,
            kind: 'Machine',
            name: HCLOUD.machine,
            uid: owner.metadata.uid ?? '',
          },
        ],
      },
      spec: { strategy: { type: 'Reboot', retryLimit: 1, timeout: '2s' } },
    } as KubeObject);
    await eventually(
      'the remediation to hand the Machine over for replacement',
      async () =>
        (
          await client.get<KubeObject & { status?: { phase?: string } }>(
            hcloudRemediations,
            HCLOUD.namespace,
            HCLOUD.machine,
          )
        ).status?.phase === 'Deleting machine',
      60_000,
    );
  }

  async function provisionBareMetalMachine(w: BareMetalWorld): Promise<void> {
    const { namespace, cluster, host, machine } = BARE_METAL;
    await createNamespace(w.controlPlane.kubeConfig(), namespace);
    await createBareMetalClusterObjects(w.api.client, {
      namespace,
      cluster,
      robot: { user: w.robot.user, password: w.robot.password },
      rescueKey: w.rescueKey,
      osKey: w.osKey,
    });
    await createBareMetalHost(w.api.client, {
      namespace,
      name: host,
      serverID: SERVER,
      rootDeviceHints: { wwn: WWN },
    });
    await createMachine(w.api.client, {
      namespace,
      cluster,
      name: machine,
      imageUrl: w.imageUrl,
      command: commands.recording,
    });
    await eventually(
      'the bare-metal host to be provisioned',
      async () =>
        (await w.api.client.get<BareMetalHost>(bareMetalHostsKind, namespace, host)).spec.status
          ?.provisioningState === 'provisioned',
      420_000,
    );
    await eventually(
      'the HetznerBareMetalMachine to be ready',
      async () =>
        (await w.api.client.get<BareMetalMachine>(bareMetalMachinesKind, namespace, machine)).status
          ?.ready === true,
      120_000,
    );
  }

  /**
   * Deletes as `kubectl delete namespace` would, the HetznerCluster first: it waits for its
   * machine, and says so once with a counted series rather than an event per retry. Then the
   * machines, the host and the other cluster; each is gone once the controller released its finalizer.
   */
  async function deleteAll(w: BareMetalWorld): Promise<void> {
    const { client } = w.api;
    const gone = async (kind: KindRef, namespace: string, name: string): Promise<void> => {
      await eventually(
        `${kind.kind} ${namespace}/${name} to be gone`,
        async () => (await client.find(kind, namespace, name)) === undefined,
        180_000,
      );
    };
    await client.delete(hetznerClusters, HCLOUD.namespace, 'my-cluster');
    await eventually(
      'a WaitingForMachineDeletion event counted twice',
      async () =>
        (await client.list<WaitEvent>(eventKind, { namespace: HCLOUD.namespace })).items.some(
          (event) => event.reason === 'WaitingForMachineDeletion' && (event.series?.count ?? 1) >= 2,
        ),
      90_000,
    );
    await client.delete(hcloudMachinesKind, HCLOUD.namespace, HCLOUD.machine);
    await client.delete(bareMetalMachinesKind, BARE_METAL.namespace, BARE_METAL.machine);
    await gone(hcloudMachinesKind, HCLOUD.namespace, HCLOUD.machine);
    await gone(hetznerClusters, HCLOUD.namespace, 'my-cluster');
    await gone(bareMetalMachinesKind, BARE_METAL.namespace, BARE_METAL.machine);
    await client.delete(bareMetalHostsKind, BARE_METAL.namespace, BARE_METAL.host);
    await gone(bareMetalHostsKind, BARE_METAL.namespace, BARE_METAL.host);
    await client.delete(hetznerClusters, BARE_METAL.namespace, BARE_METAL.cluster);
    await gone(hetznerClusters, BARE_METAL.namespace, BARE_METAL.cluster);
  }

  it('provisions an HCloudMachine and a bare-metal host end to end, remediates the first, then deletes them', async () => {
    const w = world ?? assert.fail('no world');
    const e = env ?? assert.fail('no machine env');
    await explained(async () => {
      await Promise.all([
        provisionHCloudMachine(e).then(() => remediateHCloudMachine(e)),
        provisionBareMetalMachine(w),
      ]);
      await deleteAll(w);
      assert.deepEqual(w.robot.errors, []);
    });
  });

  it('the audit log shows no denied request and every granted verb used', async (t) => {
    // Stopped first (SIGTERM): its shutdown requests (the Lease release) are in the log too.
    await processes.stopAll({ graceMs: 30_000 });
    const requests = await auditedRequests(auditLog, login.username);
    const used = usage(requests);
    t.diagnostic(`${requests.length} requests by ${login.username}:`);
    for (const [key, count] of used) t.diagnostic(`  ${String(count).padStart(5)}  ${key}`);
    const nonResource = requests.filter((request) => request.resource === '');
    t.diagnostic(
      `  ${String(nonResource.length).padStart(5)}  non-resource (${[...new Set(nonResource.map((r) => r.uri))].join(', ')})`,
    );
    const grants = Object.values(manifests.boundRules).flatMap(grantsOf);
    const unused = grants.filter((grant) => !used.has(grant) && !(grant in UNUSED_ON_PURPOSE)).sort();
    const staleExceptions = Object.keys(UNUSED_ON_PURPOSE).filter((grant) => !grants.includes(grant));
    assert.deepEqual(
      { denied: denied(requests), unusedGrants: unused, exceptionsNotGranted: staleExceptions },
      { denied: [], unusedGrants: [], exceptionsNotGranted: [] },
      `roles bound to the ServiceAccount: ${Object.keys(manifests.boundRules).join(', ')}`,
    );
  });
});
