import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';
import type { KubeObject } from '../../src/kube/index.js';
import { auditedRequests, denied, writeAuditPolicy } from '../support/audit-log.js';
import { ProcessGroup, startDeploymentController } from '../support/deployment-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient } from '../support/kube-runtime-fixtures.js';
import {
  IMAGE_URL,
  registerRescueKey,
  REGISTRY_TOKEN,
  writeCommand,
  type MachineEnv,
} from '../support/machine-env.js';
import { createProvisioningObjects, hcloudMachinesKind } from '../support/provisioning-objects.js';
import {
  applyObjects,
  loginAsServiceAccount,
  type InClusterLogin,
} from '../support/service-account-login.js';
import { renderShippedManifests, type ShippedManifests } from '../support/shipped-manifests.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const COMMAND = 'image-url-command-hcloud';
const SCRIPT = '#!/bin/bash\necho "installing $1 for $3 onto /dev/$4"\necho IMAGE_URL_DONE\n';
const MACHINE = 'ns-hcloud';

interface HCloudMachine extends KubeObject {
  status?: { bootState?: string };
}

describe('the namespaced install, audited (config/namespaced: controller with its Deployment’s args under its ServiceAccount, bound only to a Role in the watched namespace + kube-apiserver with RBAC and an audit log + Cloud simulator)', () => {
  let scratch = '';
  let manifests: ShippedManifests;
  let watched = '';
  let login: InClusterLogin;
  let auditLog = '';
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let env: MachineEnv | undefined;
  const processes = new ProcessGroup();
  let controller: SupervisedProcess | undefined;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-rbac-ns-'));
    manifests = await renderShippedManifests('config/namespaced');
    watched = manifests.manager.env['IMAGEURL_NAMESPACE'] ?? '';
    assert.notEqual(watched, '', 'config/namespaced sets IMAGEURL_NAMESPACE');
    const { namespace, name } = manifests.serviceAccount;
    const username = `system:serviceaccount:${namespace}:${name}`;
    const policyFile = join(scratch, 'audit-policy.json');
    auditLog = join(scratch, 'audit.log');
    await writeAuditPolicy(policyFile, username);
    const started = await Promise.allSettled([
      startControlPlane({ crdPaths: [CRD_DIR], audit: { policyFile, logPath: auditLog } }),
      startSimCloud(),
    ]);
    if (started[0].status === 'fulfilled') controlPlane = started[0].value;
    if (started[1].status === 'fulfilled') cloud = started[1].value;
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    const cp = controlPlane ?? assert.fail();
    const c = cloud ?? assert.fail();
    const config = cp.kubeConfig();
    const commandsDir = join(scratch, 'commands');
    await mkdir(commandsDir, { mode: 0o755 });
    env = {
      controlPlane: cp,
      cloud: c,
      api: testClient(config),
      commandsDir,
      scratchDir: scratch,
      rescueKey: await registerRescueKey(c),
      stop: () => Promise.resolve(),
    };
    await writeCommand(env, COMMAND, SCRIPT);
    // The watched namespace is the users', not the install's: it exists before the Role goes in.
    await createNamespace(config, watched);
    await applyObjects(config, manifests.rbac);
    login = await loginAsServiceAccount(config, manifests.serviceAccount, join(scratch, 'serviceaccount'));
    const webhookCertDir = join(scratch, 'serving-certs');
    await createCertDir(webhookCertDir);
    controller = await startDeploymentController(processes, {
      manager: manifests.manager,
      endpoints: {
        commandsDir,
        webhookCertDir,
        hcloudEndpoint: c.sim.endpoint,
        // No bare metal here: Robot is never called.
        robotEndpoint: 'http://127.0.0.1:9',
      },
      login,
      secretEnv: { OCI_REGISTRY_AUTH_TOKEN: REGISTRY_TOKEN },
    });
  });

  after(async () => {
    try {
      await processes.stopAll({ graceMs: 10_000 });
      env?.api.transport.close();
      await cloud?.stop();
      await controlPlane?.stop();
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
  });

  it('binds the ServiceAccount to Roles only: the watched namespace’s and the Lease’s', () => {
    assert.deepEqual(
      Object.keys(manifests.boundRules).filter((role) => role.startsWith('ClusterRole ')),
      [],
    );
    assert.ok(Object.keys(manifests.boundRules).includes(`Role ${watched}/imageurl-system-manager-role`));
  });

  it('provisions an HCloudMachine in the watched namespace with zero denied requests, none cluster-wide', async () => {
    const e = env ?? assert.fail('no machine env');
    try {
      await createProvisioningObjects(e.api.client, {
        namespace: watched,
        hcloudToken: e.cloud.sim.token,
        rescueKey: e.rescueKey,
        machineName: MACHINE,
        imageURL: IMAGE_URL,
        imageURLCommand: COMMAND,
        bootstrapData: `#cloud-config\nhostname: ${MACHINE}\n`,
        hetznerClusterSpec: {},
      });
      await eventually(
        'the HCloudMachine to reach OperatingSystemRunning',
        async () =>
          (await e.api.client.get<HCloudMachine>(hcloudMachinesKind, watched, MACHINE)).status?.bootState ===
          'OperatingSystemRunning',
        300_000,
      );
    } catch (error) {
      const output = controller?.output.text().slice(-12_000) ?? '';
      throw new Error(`${(error as Error).message}\n--- controller\n${output}`, { cause: error });
    }
    await processes.stopAll({ graceMs: 30_000 });
    const requests = await auditedRequests(auditLog, login.username);
    const clusterWide = requests
      .filter((request) => request.resource !== '' && request.namespace === '')
      .filter((request) => request.resource !== 'selfsubjectreviews')
      .map((request) => `${request.verb} ${request.group} ${request.resource} (${request.uri})`);
    assert.deepEqual({ denied: denied(requests), clusterWide }, { denied: [], clusterWide: [] });
    assert.ok(requests.some((request) => request.namespace === watched && request.verb === 'watch'));
  });
});
