import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import {
  EventRecorder,
  eventKind,
  isKubeError,
  microTime,
  Manager,
  toSelf,
  watchSource,
  type KindRef,
  type KubeObject,
} from '../../src/kube/index.js';
import { createNamespace } from '../support/kube-objects.js';
import {
  createAll,
  CRD_DIR,
  eventually,
  hcloudMachine,
  hcloudMachines,
  testClient,
  type HCloudMachineObject,
  type TestClient,
} from '../support/kube-runtime-fixtures.js';

interface StoredEvent extends KubeObject {
  readonly eventTime: string;
  readonly reason: string;
  readonly note: string;
  readonly type: string;
  readonly reportingController: string;
  readonly regarding: { uid?: string; name?: string };
  readonly series?: { count: number; lastObservedTime: string };
}

const coreEvents: KindRef = { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true };
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

async function text(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

describe('events, metrics and health against a real kube-apiserver', () => {
  let controlPlane: KubeControlPlane | undefined;
  let api: TestClient;
  const ns = 'events';

  before(async () => {
    controlPlane = await startControlPlane({ crdPaths: [CRD_DIR], installClusterApiCrds: false });
    api = testClient(controlPlane.kubeConfig());
    await createNamespace(controlPlane.kubeConfig(), ns);
  });
  after(async () => {
    api.transport.close();
    await controlPlane?.stop();
  });

  it('writes events.k8s.io Events with 6-digit MicroTime, series for repeats, redacted and capped notes', async () => {
    const machine = await api.client.create(hcloudMachines, hcloudMachine(ns, 'evented'));
    const recorder = new EventRecorder({
      client: api.client,
      source: { controller: 'imageurl-controller', instance: 'test-instance' },
      redact: (note) => note.replaceAll('s3cr3t-token', '[REDACTED]'),
      log: api.log,
      metrics: api.metrics,
    });
    for (let i = 0; i < 3; i++)
      recorder.record(machine, { type: 'Warning', reason: 'ImageURLCommandFailed', note: 'exit code 1' });
    recorder.record(machine, {
      type: 'Normal',
      reason: 'Redacted',
      note: 'OCI_REGISTRY_AUTH_TOKEN=s3cr3t-token',
    });
    const output = `${'progress line\n'.repeat(400)}IMAGE_URL_DONE`;
    recorder.record(machine, { type: 'Normal', reason: 'ImageURLCommandOutput', note: output, keep: 'tail' });
    await recorder.close();

    const events = (await api.client.list<StoredEvent>(eventKind, { namespace: ns })).items;
    const byReason = new Map(events.map((event) => [event.reason, event]));
    assert.equal(events.length, 3, 'three repeats became one event with a series');
    const repeated = byReason.get('ImageURLCommandFailed') ?? assert.fail('no ImageURLCommandFailed event');
    assert.equal(repeated.series?.count, 3);
    assert.match(repeated.series.lastObservedTime, MICRO_TIME);
    assert.match(repeated.eventTime, MICRO_TIME);
    assert.equal(repeated.regarding.uid, machine.metadata.uid);
    assert.equal(repeated.reportingController, 'imageurl-controller');
    assert.equal(byReason.get('Redacted')?.note, 'OCI_REGISTRY_AUTH_TOKEN=[REDACTED]');
    const capped = byReason.get('ImageURLCommandOutput')?.note ?? assert.fail('no output event');
    assert.ok(Buffer.byteLength(capped) <= 1024, `note of ${Buffer.byteLength(capped)} bytes`);
    assert.match(capped, /^\[truncated \d+ bytes\]…[\s\S]*IMAGE_URL_DONE$/);

    const legacy = await api.client.list<KubeObject & { series?: { count: number } }>(coreEvents, {
      namespace: ns,
    });
    assert.equal(
      legacy.items.find((e) => e.metadata.name === repeated.metadata.name)?.series?.count,
      3,
      'kubectl (core/v1) sees it too',
    );
  });

  it('the apiserver rejects MicroTime with 3 digits (what client-node 1.4.0 sends), so the recorder writes 6', async () => {
    const body = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'three-digits', namespace: ns },
      eventTime: new Date().toISOString(),
      reportingController: 'imageurl-controller',
      reportingInstance: 'test',
      action: 'Reconcile',
      reason: 'Test',
      type: 'Normal',
      regarding: { kind: 'HCloudMachine', name: 'evented', namespace: ns },
    };
    await assert.rejects(
      api.client.create(eventKind, body),
      (error: unknown) =>
        isKubeError(error, 'KUBE_BAD_REQUEST') && /cannot parse "\.\d{3}Z" as "\.000000"/.test(error.message),
    );
    await api.client.create(eventKind, { ...body, eventTime: microTime(new Date(body.eventTime)) });
  });

  it('serves /healthz, /readyz (503 until caches sync) and /metrics', async () => {
    // A kind the apiserver does not serve: its informer can never sync.
    const nowhere: KindRef = {
      group: 'nothing.example.com',
      version: 'v1',
      kind: 'Nothing',
      plural: 'nothings',
      namespaced: true,
    };
    const waiting = new Manager({
      client: api.client,
      log: api.log,
      metrics: api.metrics,
      healthProbeBindAddress: '127.0.0.1:0',
    });
    waiting.informer(nowhere);
    const stopWaiting = new AbortController();
    const runningWaiting = waiting.run(stopWaiting.signal);
    try {
      await eventually('the probe endpoint to listen', () => waiting.addresses.length === 1);
      const base = `http://${waiting.addresses[0] ?? ''}`;
      assert.deepEqual(await text(`${base}/healthz`), { status: 200, body: '[+]ping ok\nok\n' });
      const ready = await text(`${base}/readyz`);
      assert.equal(ready.status, 503);
      assert.match(ready.body, /\[-\]informers-synced failed: waiting for Nothing/);
    } finally {
      stopWaiting.abort();
      await runningWaiting;
    }

    await createNamespace(controlPlane?.kubeConfig() ?? assert.fail(), 'ops');
    await createAll(
      api.client,
      hcloudMachines,
      ['a', 'b', 'c'].map((name) => hcloudMachine('ops', name)),
    );
    const manager = new Manager({
      client: api.client,
      log: api.log,
      metrics: api.metrics,
      namespace: 'ops',
      healthProbeBindAddress: '127.0.0.1:0',
      metricsBindAddress: '127.0.0.1:0',
    });
    const informer = manager.informer<HCloudMachineObject>(hcloudMachines);
    const reconciled = new Set<string>();
    manager.addController({
      name: 'ops',
      for: watchSource(informer, toSelf()),
      reconciler: { reconcile: ({ key }) => Promise.resolve(void reconciled.add(key)) },
    });
    const stop = new AbortController();
    const running = manager.run(stop.signal);
    try {
      await eventually('three reconciles', () => reconciled.size === 3);
      const base = `http://${manager.addresses[0] ?? ''}`;
      assert.equal((await text(`${base}/readyz`)).status, 200);
      const metrics = (await text(`${base}/metrics`)).body;
      assert.match(
        metrics,
        /^controller_runtime_reconcile_total\{controller="ops",result="success"\} [3-9]/m,
      );
      assert.match(metrics, /^workqueue_depth\{name="ops"\} 0$/m);
      assert.match(metrics, /^imageurl_informer_objects\{kind="HCloudMachine"\} 3$/m);
      assert.match(metrics, /^controller_runtime_reconcile_time_seconds_count\{controller="ops"\} [3-9]/m);
    } finally {
      stop.abort();
      await running;
    }
  });
});
