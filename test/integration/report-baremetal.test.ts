import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reportCommand } from '../../src/cli/commands/report.js';
import { Informer, silentLogger, type Change, type KubeObject } from '../../src/kube/index.js';
import { bareMetalHostsKind, type BareMetalHost } from '../support/bare-metal-objects.js';
import {
  createBareMetalClusterObjects,
  createBareMetalHost,
  createMachine,
} from '../support/bare-metal-provisioning-objects.js';
import {
  commands,
  FAST_REQUEUE,
  startBareMetalWorld,
  type BareMetalWorld,
} from '../support/bare-metal-provisioning.js';
import { createNamespace } from '../support/kube-objects.js';
import { eventually } from '../support/kube-runtime-fixtures.js';

const NS = 'report-bm';
const CLUSTER = 'report-bm';
const MiB = 1024 * 1024;
const GOOD = { server: 201, host: 'host-good', machine: 'good', command: commands.recording };
const BAD = { server: 202, host: 'host-bad', machine: 'bad', command: commands.failing };

interface ReportJson {
  kinds: {
    kind: string;
    machines: number;
    rows: { from: string; to: string; count: number }[];
    failures: { reason: string; count: number; machines: string[] }[];
  }[];
}

/** Each provisioningState a host showed, in order, as the test's own watch saw it. */
function record(seen: Map<string, string[]>, change: Change<KubeObject>): void {
  if (change.type === 'deleted') return;
  const host = change.object as BareMetalHost;
  const states = seen.get(host.metadata.name ?? '') ?? [''];
  seen.set(host.metadata.name ?? '', states);
  const state = host.spec.status?.provisioningState ?? '';
  if (states.at(-1) !== state) states.push(state);
}

describe('imageurl report on bare-metal hosts (kube-apiserver + Robot simulator)', () => {
  let world: BareMetalWorld | undefined;
  let informer: Informer<KubeObject> | undefined;
  const seen = new Map<string, string[]>();

  before(async () => {
    const disk = (server: number): { name: string; sizeBytes: number; wwn: string }[] => [
      { name: 'sda', sizeBytes: 64 * MiB, wwn: `0x5000c500${server}00` },
    ];
    world = await startBareMetalWorld({
      servers: [GOOD, BAD].map(({ server }) => ({
        number: server,
        name: `dedicated-${server}`,
        disks: disk(server),
      })),
      bareMetal: {
        timeoutsMs: { 'image-installing': 25_000 },
        requeue: FAST_REQUEUE,
      },
    });
    informer = new Informer<KubeObject>(world.api.client, {
      kind: bareMetalHostsKind,
      namespace: NS,
      log: silentLogger(),
    });
    informer.onChange((change) => record(seen, change));
    informer.start();
  });

  after(async () => {
    await informer?.stop();
    await world?.stop();
  });

  it('lists the hosts’ state changes as watched, and the failed install by its reason', async () => {
    const w = world ?? assert.fail();
    await createNamespace(w.controlPlane.kubeConfig(), NS);
    await createBareMetalClusterObjects(w.api.client, {
      namespace: NS,
      cluster: CLUSTER,
      robot: { user: w.robot.user, password: w.robot.password },
      rescueKey: w.rescueKey,
      osKey: w.osKey,
    });
    for (const each of [GOOD, BAD]) {
      await createBareMetalHost(w.api.client, {
        namespace: NS,
        name: each.host,
        serverID: each.server,
        rootDeviceHints: { wwn: `0x5000c500${each.server}00` },
        labels: { pick: each.machine },
      });
      await createMachine(w.api.client, {
        namespace: NS,
        cluster: CLUSTER,
        name: each.machine,
        imageUrl: w.imageUrl,
        command: each.command,
        hostSelector: { matchLabels: { pick: each.machine } },
      });
    }
    const hostStatus = async (name: string): Promise<NonNullable<BareMetalHost['spec']['status']>> =>
      (await w.api.client.get<BareMetalHost>(bareMetalHostsKind, NS, name)).spec.status ?? {};
    await eventually(
      'the good host provisioned and the bad one failed',
      async () =>
        (await hostStatus(GOOD.host)).provisioningState === 'provisioned' &&
        (await hostStatus(BAD.host)).errorType === 'fatal error',
      180_000,
    );

    const lines: string[] = [];
    const command = reportCommand({ env: {}, print: (text) => lines.push(text), now: Date.now });
    await command.parseAsync(['--kubeconfig', w.controlPlane.kubeconfigPath, '-n', NS, '-o', 'json'], {
      from: 'user',
    });
    const report = JSON.parse(lines.join('\n')) as ReportJson;
    const hosts = report.kinds.find((kind) => kind.kind === 'HetznerBareMetalHost');
    assert.ok(hosts, `a HetznerBareMetalHost section; got ${lines.join('\n')}`);
    assert.equal(hosts.machines, 2);

    const expected = new Map<string, number>();
    for (const states of seen.values())
      for (let index = 1; index < states.length; index += 1) {
        const key = `${states[index - 1]} > ${states[index]}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    assert.ok(
      [...expected.values()].reduce((sum, count) => sum + count, 0) >= 6,
      `the watch saw both hosts go through their states: ${JSON.stringify([...seen])}`,
    );
    const got = new Map(hosts.rows.map((row) => [`${row.from} > ${row.to}`, row.count]));
    assert.deepEqual(got, expected, `watched: ${JSON.stringify([...seen])}`);

    // The failure the user sees on the host (its ProvisionSucceeded condition) is the report's.
    const conditions = (
      (await hostStatus(BAD.host)).v1beta2 as { conditions?: { type: string; reason?: string }[] }
    ).conditions;
    const reason = conditions?.find((condition) => condition.type === 'ProvisionSucceeded')?.reason;
    assert.ok(reason);
    assert.deepEqual(
      hosts.failures.map((failure) => ({ reason: failure.reason, machines: failure.machines })),
      [{ reason, machines: [`${NS}/${BAD.host}`] }],
    );
  });
});
