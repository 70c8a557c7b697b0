import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { freePort } from '../../sim/process/free-port.js';
import { runController } from '../../src/cli/commands/controller.js';
import { resolveRuntimeOptions, type KubeObject } from '../../src/kube/index.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import { createProvisioningObjects, hcloudMachinesKind } from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const COMMAND = 'image-url-command-metrics';
const SCRIPT = '#!/bin/bash\necho IMAGE_URL_DONE\n';

const TRANSITIONS = [
  ['(unset)', 'Initializing'],
  ['Initializing', 'EnablingRescue'],
  ['EnablingRescue', 'BootingToRescue'],
  ['BootingToRescue', 'RunningImageCommand'],
  ['RunningImageCommand', 'BootingToRealOS'],
  ['BootingToRealOS', 'OperatingSystemRunning'],
] as const;

interface Machine extends KubeObject {
  status?: { bootState?: string };
}

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

describe('HCloudMachine metrics on /metrics of a running controller (kube-apiserver + Cloud simulator)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let commandsDir = '';
  let metricsUrl = '';
  const stopController = new AbortController();
  let controller: Promise<void> | undefined;

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    api = testClient(controlPlane.kubeConfig());
    commandsDir = await mkdtemp(join(tmpdir(), 'imageurl-commands-'));
    await writeFile(join(commandsDir, COMMAND), SCRIPT);
    await chmod(join(commandsDir, COMMAND), 0o755);
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    const options = resolveRuntimeOptions(
      {
        kubeconfig: controlPlane.kubeconfigPath,
        'metrics-bind-address': `127.0.0.1:${port}`,
        'health-probe-bind-address': '0',
        'log-level': process.env.IMAGEURL_TEST_LOG ?? 'silent',
      },
      {},
    );
    const settings = { commandsDir, hcloudEndpoint: cloud.sim.endpoint };
    controller = runController(options, settings, { env: {} }, stopController.signal);
    controller.catch(() => undefined);
  });

  after(async () => {
    stopController.abort();
    await controller?.catch(() => undefined);
    api.transport.close();
    await cloud?.stop();
    await controlPlane?.stop();
    if (commandsDir) await rm(commandsDir, { recursive: true, force: true });
  });

  it('exposes the boot-state histogram, the outcome and the hcloud calls after a provisioning', async () => {
    const cp = controlPlane ?? assert.fail();
    const sim = cloud ?? assert.fail();
    const ns = 'metrics';
    await createNamespace(cp.kubeConfig(), ns);
    const key = generateSshKeyPair('rescue');
    await sim.api.call('POST', '/ssh_keys', { name: 'rescue', public_key: key.publicKey });
    sim.sim.requests.reset();
    await createProvisioningObjects(api.client, {
      namespace: ns,
      hcloudToken: sim.sim.token,
      rescueKey: { name: 'rescue', publicKey: key.publicKey, privateKey: key.privateKey },
      machineName: 'worker-1',
      imageURL: 'oci://registry.example.com/images/node:v1',
      imageURLCommand: COMMAND,
      bootstrapData: '#cloud-config\n',
    });
    await eventually(
      'bootState OperatingSystemRunning',
      async () =>
        (await api.client.get<Machine>(hcloudMachinesKind, ns, 'worker-1')).status?.bootState ===
        'OperatingSystemRunning',
      120_000,
    );
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
  });
});
