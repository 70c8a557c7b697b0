import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { reportCommand } from '../../src/cli/commands/report.js';
import { eventKind, Informer, silentLogger, type Change, type KubeObject } from '../../src/kube/index.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import {
  createMachineObjects,
  createProvisioningObjects,
  hcloudMachinesKind,
} from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';
import { wellFormedElements } from '../support/xml-check.js';

const COMMAND = 'image-url-command-test';
const SCRIPT = '#!/bin/bash\necho "installing $1 for $3"\necho IMAGE_URL_DONE\n';
const NS = 'report';
const MACHINES = ['worker-1', 'worker-2', 'worker-3'];
const IMAGE_URL = 'oci://registry.example.com/images/node:v1';

interface Machine extends KubeObject {
  status?: { bootState?: string; bootStateSince?: string };
}

/** What the test saw of one machine through its own watch: each new bootState and its start. */
interface Seen {
  readonly state: string;
  readonly since: number;
}

interface ReportJson {
  kinds: {
    kind: string;
    machines: number;
    rows: { from: string; to: string; count: number; avg: number; min: number; max: number }[];
  }[];
}

async function report(kubeconfig: string, args: readonly string[]): Promise<string> {
  const lines: string[] = [];
  const command = reportCommand({ env: {}, print: (text) => lines.push(text), now: Date.now });
  await command.parseAsync(['--kubeconfig', kubeconfig, '-n', NS, ...args], { from: 'user' });
  return lines.join('\n');
}

describe('imageurl report (kube-apiserver + Cloud simulator, three machines)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let workDir = '';
  let controller: InProcessController | undefined;
  let informer: Informer<KubeObject> | undefined;
  const seen = new Map<string, Seen[]>();

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    api = testClient(controlPlane.kubeConfig());
    workDir = await mkdtemp(join(tmpdir(), 'imageurl-report-'));
    await writeFile(join(workDir, COMMAND), SCRIPT);
    await chmod(join(workDir, COMMAND), 0o755);
    informer = new Informer<KubeObject>(api.client, {
      kind: hcloudMachinesKind,
      namespace: NS,
      log: silentLogger(),
    });
    informer.onChange((change) => record(seen, change));
    informer.start();
    const settings = { commandsDir: workDir, hcloudEndpoint: cloud.sim.endpoint };
    controller = startTestController(controlPlane.kubeconfigPath, settings);
  });

  after(async () => {
    await informer?.stop();
    await stopTestController(controller, async () => {
      api.transport.close();
      await cloud?.stop();
      await controlPlane?.stop();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });
  });

  it('its table matches the transitions the machines went through, also after the events were deleted; the SVG has one row per machine', async () => {
    const cp = controlPlane ?? assert.fail();
    const sim = cloud ?? assert.fail();
    await createNamespace(cp.kubeConfig(), NS);
    const key = generateSshKeyPair('rescue');
    await sim.api.call('POST', '/ssh_keys', { name: 'rescue', public_key: key.publicKey });
    const [first = '', ...others] = MACHINES;
    await createProvisioningObjects(api.client, {
      namespace: NS,
      hcloudToken: sim.sim.token,
      rescueKey: { name: 'rescue', publicKey: key.publicKey, privateKey: key.privateKey },
      machineName: first,
      imageURL: IMAGE_URL,
      imageURLCommand: COMMAND,
      bootstrapData: '#cloud-config\n',
    });
    for (const name of others)
      await createMachineObjects(api.client, NS, name, {
        type: 'cpx22',
        imageURL: IMAGE_URL,
        imageURLCommand: COMMAND,
      });
    await eventually(
      'all machines in OperatingSystemRunning, as the test watched them',
      () =>
        Promise.resolve(MACHINES.every((name) => seen.get(name)?.at(-1)?.state === 'OperatingSystemRunning')),
      180_000,
    );

    const expected = expectedRows(seen);
    const json = JSON.parse(await report(cp.kubeconfigPath, ['-o', 'json'])) as ReportJson;
    const hcloud =
      json.kinds.find((kind) => kind.kind === 'HCloudMachine') ?? assert.fail('no HCloudMachine section');
    assert.equal(hcloud.machines, MACHINES.length);
    assert.deepEqual(
      hcloud.rows.map(({ from, to, count }) => ({ from, to, count })),
      expected.map(({ from, to, count }) => ({ from, to, count })),
    );
    for (const row of expected.filter((candidate) => candidate.from !== '')) {
      const got = hcloud.rows.find((candidate) => candidate.from === row.from && candidate.to === row.to);
      assert.ok(got);
      // The time spent in a state is the gap between its start and the next one's, as watched.
      assert.ok(Math.abs(got.min - row.min) < 0.002, `${row.from} min ${got.min} vs ${row.min}`);
      assert.ok(Math.abs(got.max - row.max) < 0.002, `${row.from} max ${got.max} vs ${row.max}`);
    }

    const table = await report(cp.kubeconfigPath, []);
    const events = await api.client.list<KubeObject>(eventKind, { namespace: NS });
    assert.ok(events.items.length > 0, 'the run made events');
    for (const event of events.items) await api.client.delete(eventKind, NS, event.metadata.name ?? '');
    assert.equal((await api.client.list<KubeObject>(eventKind, { namespace: NS })).items.length, 0);
    assert.equal(await report(cp.kubeconfigPath, []), table, 'the same table without events');

    const svgFile = join(workDir, 'timeline.svg');
    await report(cp.kubeconfigPath, ['--timeline', svgFile]);
    const svg = await readFile(svgFile, 'utf8');
    const elements = wellFormedElements(svg);
    assert.equal(elements[0], 'svg');
    const rows = [...svg.matchAll(/<g class="machine"><text [^>]*>([^<]*)<\/text>/g)].map(
      (match) => match[1],
    );
    assert.deepEqual(
      rows,
      MACHINES.map((name) => `${NS}/${name}`),
    );
  });
});

/** Each new bootState a machine showed, with its bootStateSince; '' until it has one. */
function record(seen: Map<string, Seen[]>, change: Change<KubeObject>): void {
  if (change.type === 'deleted') return;
  const machine = change.object as Machine;
  const name = machine.metadata.name ?? '';
  const states = seen.get(name) ?? [{ state: '', since: 0 }];
  seen.set(name, states);
  const state = machine.status?.bootState ?? '';
  if (states.at(-1)?.state === state) return;
  states.push({ state, since: Date.parse(machine.status?.bootStateSince ?? '') });
}

/** The duration table's rows and counts from the watched states, in first-seen order. */
function expectedRows(
  seen: ReadonlyMap<string, readonly Seen[]>,
): { from: string; to: string; count: number; min: number; max: number }[] {
  const rows = new Map<string, { from: string; to: string; values: number[] }>();
  for (const name of MACHINES) {
    const states = seen.get(name) ?? [];
    for (let index = 1; index < states.length; index += 1) {
      const before = states[index - 1] ?? assert.fail();
      const now = states[index] ?? assert.fail();
      const key = `${before.state}>${now.state}`;
      const row = rows.get(key) ?? { from: before.state, to: now.state, values: [] };
      row.values.push((now.since - before.since) / 1000);
      rows.set(key, row);
    }
  }
  return [...rows.values()].map(({ from, to, values }) => ({
    from,
    to,
    count: values.length,
    min: Math.min(...values),
    max: Math.max(...values),
  }));
}
