import assert from 'node:assert/strict';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { freePort } from '../../sim/process/free-port.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { eventKind, type KubeObject } from '../../src/kube/index.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import { createProvisioningObjects, hcloudMachinesKind } from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const COMMAND = 'image-url-command-test';
const SCRIPT = `#!/bin/bash
echo "installing $1 for $3 onto /dev/$4"
echo written > /root/imageurl-test-marker
echo IMAGE_URL_DONE
`;

const TRANSITIONS = [
  ['(unset)', 'Initializing'],
  ['Initializing', 'EnablingRescue'],
  ['EnablingRescue', 'BootingToRescue'],
  ['BootingToRescue', 'RunningImageCommand'],
  ['RunningImageCommand', 'BootingToRealOS'],
  ['BootingToRealOS', 'OperatingSystemRunning'],
] as const;

/** A sample's value from Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** All hcloud requests the controller counted. */
function hcloudRequests(text: string): number {
  return [...text.matchAll(/^imageurl_hcloud_requests_total\{.*\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

interface Machine extends KubeObject {
  spec: { providerID?: string };
  status?: { bootState?: string; ready?: boolean; addresses?: unknown[]; conditions?: { type: string }[] };
}

interface EventObject extends KubeObject {
  reason?: string;
  note?: string;
  type?: string;
}

describe('HCloudMachine provisioning with imageURL + imageURLCommand (kube-apiserver + Cloud simulator)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let commandsDir = '';
  let metricsUrl = '';
  let controller: InProcessController | undefined;

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    api = testClient(controlPlane.kubeConfig());
    commandsDir = await mkdtemp(join(tmpdir(), 'imageurl-commands-'));
    await writeFile(join(commandsDir, COMMAND), SCRIPT);
    await chmod(join(commandsDir, COMMAND), 0o755);
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    const settings = { commandsDir, hcloudEndpoint: cloud.sim.endpoint, registryToken: 'registry-5ecr3t' };
    controller = startTestController(controlPlane.kubeconfigPath, settings, {
      'metrics-bind-address': `127.0.0.1:${port}`,
    });
  });

  after(async () => {
    await stopTestController(controller, async () => {
      api.transport.close();
      await cloud?.stop();
      await controlPlane?.stop();
      if (commandsDir) await rm(commandsDir, { recursive: true, force: true });
    });
  });

  it('reaches OperatingSystemRunning with providerID, ready, addresses, the success event and its metrics', async () => {
    const cp = controlPlane ?? assert.fail();
    const sim = cloud ?? assert.fail();
    const ns = 'provisioning';
    await createNamespace(cp.kubeConfig(), ns);
    const key = generateSshKeyPair('rescue');
    const registered = await sim.api.call('POST', '/ssh_keys', { name: 'rescue', public_key: key.publicKey });
    assert.equal(registered.status, 201);
    sim.sim.requests.reset(); // from here on, every request the simulator serves is the controller's
    await createProvisioningObjects(api.client, {
      namespace: ns,
      hcloudToken: sim.sim.token,
      rescueKey: { name: 'rescue', publicKey: key.publicKey, privateKey: key.privateKey },
      machineName: 'worker-1',
      imageURL: 'oci://registry.example.com/images/node:v1',
      imageURLCommand: COMMAND,
      bootstrapData: '#cloud-config\nhostname: worker-1\n',
    });
    const get = (): Promise<Machine> => api.client.get<Machine>(hcloudMachinesKind, ns, 'worker-1');
    await eventually(
      'bootState OperatingSystemRunning',
      async () => (await get()).status?.bootState === 'OperatingSystemRunning',
      120_000,
    );
    await assertMetrics(metricsUrl, sim); // first: the assertions below call the simulator too
    await assertProvisioned(await get(), sim);
    await assertSuccessEvent(api, ns);

    await api.client.delete(hcloudMachinesKind, ns, 'worker-1');
    await eventually(
      'the HCloudMachine to be gone',
      async () => (await api.client.find(hcloudMachinesKind, ns, 'worker-1')) === undefined,
      60_000,
    );
    const servers = await sim.api.call('GET', '/servers');
    assert.deepEqual(servers.body.servers, [], 'deleting the HCloudMachine deleted its server');
  });
});

async function assertProvisioned(machine: Machine, sim: SimCloudEnv): Promise<void> {
  assert.match(machine.spec.providerID ?? '', /^hcloud:\/\/\d+$/);
  assert.equal(machine.status?.ready, true);
  assert.ok((machine.status.addresses?.length ?? 0) > 0, 'addresses are set');
  const serverId = Number((machine.spec.providerID ?? '').slice('hcloud://'.length));
  assert.equal((await sim.api.server(serverId)).status, 'running');
  const state = JSON.parse(machine.metadata.annotations?.['imageurl.io/provisioning-state'] ?? '{}') as {
    serverRequested?: boolean;
  };
  assert.equal(state.serverRequested, true);
}

async function assertSuccessEvent(api: TestClient, ns: string): Promise<void> {
  await eventually('the success event with the command output', async () => {
    const events = await api.client.list<EventObject>(eventKind, { namespace: ns });
    return events.items.some(
      (event) =>
        event.type === 'Normal' &&
        event.reason === 'ImageURLCommandSucceeded' &&
        (event.note ?? '').includes('IMAGE_URL_DONE'),
    );
  });
}

/** The boot-state histogram, the outcome and the hcloud calls on the controller's /metrics. */
async function assertMetrics(metricsUrl: string, sim: SimCloudEnv): Promise<void> {
  let text = '';
  const outcome = 'imageurl_provisioning_outcomes_total{outcome="succeeded",reason="Provisioned"}';
  // Settled: the success is counted and so is every request the simulator served.
  await eventually('the success and the hcloud calls on /metrics', async () => {
    const served = sim.sim.requests.counters().total;
    text = await (await fetch(metricsUrl)).text();
    return sample(text, outcome) === 1 && hcloudRequests(text) === served;
  });
  for (const [from, to] of TRANSITIONS) {
    const labels = `{old_state="${from}",new_state="${to}"}`;
    // At least once: a reconcile on a cache that has not seen our own status write yet may
    // repeat a step (and its transition); the metric counts what the dispatcher did.
    const count = sample(text, `imageurl_boot_state_duration_seconds_count${labels}`) ?? 0;
    assert.ok(count >= 1, `${from} → ${to} observed (${count})`);
    assert.ok((sample(text, `imageurl_boot_state_duration_seconds_sum${labels}`) ?? -1) >= 0);
  }
  assert.equal(
    sample(text, 'imageurl_hcloud_requests_total{endpoint="/servers",method="POST",status="201"}'),
    1,
  );
  assert.doesNotMatch(text, /endpoint="[^"]*\/\d+/, 'endpoints are templates, without raw ids');
  assert.ok(!text.includes(sim.sim.token), 'the hcloud token is in no metric');
}
