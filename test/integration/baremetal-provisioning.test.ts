import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { eventKind, machineKind, type KubeObject } from '../../src/kube/index.js';
import { createNamespace } from '../support/kube-objects.js';
import { eventually } from '../support/kube-runtime-fixtures.js';
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
  type MachineInput,
} from '../support/bare-metal-provisioning-objects.js';
import {
  commands,
  FAST_REQUEUE,
  startBareMetalWorld,
  type BareMetalWorld,
} from '../support/bare-metal-provisioning.js';
import { connectWhenUp } from '../support/sim-ssh.js';

const MiB = 1024 * 1024;
const CLUSTER = 'bm-cluster';
const wwn = (server: number, disk: number): string => `0x5000c500${String(server).padStart(6, '0')}0${disk}`;
const disks = (server: number, count: number): { name: string; sizeBytes: number; wwn: string }[] =>
  ['sda', 'sdb']
    .slice(0, count)
    .map((name, index) => ({ name, sizeBytes: 64 * MiB, wwn: wwn(server, index) }));

const servers = {
  oneDisk: 101,
  raid: 102,
  wwn: 103,
  failing: 104,
  hanging: 105,
  shared: 106,
} as const;

interface EventObject extends KubeObject {
  reason?: string;
  note?: string;
  type?: string;
  regarding?: { kind?: string; name?: string };
}

type HostStatus = Record<string, unknown> & {
  provisioningState?: string;
  errorType?: string;
  errorMessage?: string;
  ipv4?: string;
};

describe('Bare-metal provisioning with installImage.imageURLCommand (kube-apiserver + Robot simulator + OCI registry)', () => {
  let world: BareMetalWorld;

  before(async () => {
    world = await startBareMetalWorld({
      servers: [
        { number: servers.oneDisk, name: 'dedicated-1', disks: disks(servers.oneDisk, 1) },
        { number: servers.raid, name: 'dedicated-2', disks: disks(servers.raid, 2) },
        { number: servers.wwn, name: 'dedicated-3', disks: disks(servers.wwn, 2) },
        { number: servers.failing, name: 'dedicated-4', disks: disks(servers.failing, 1) },
        { number: servers.hanging, name: 'dedicated-5', disks: disks(servers.hanging, 1) },
        { number: servers.shared, name: 'dedicated-6', disks: disks(servers.shared, 1) },
      ],
      bareMetal: {
        timeoutsMs: { 'image-installing': 25_000 },
        requeue: FAST_REQUEUE,
      },
    });
  });

  after(async () => {
    await world.stop();
    assert.deepEqual(world.robot.errors, []);
  });

  /** A namespace with the cluster objects, one host for `server` and one machine claiming it. */
  async function setUp(
    ns: string,
    server: number,
    hints: { wwn?: string; raid?: { wwn: string[] } },
    machine: Omit<MachineInput, 'namespace' | 'cluster' | 'name' | 'imageUrl'>,
  ): Promise<{ host: string; machine: string }> {
    await createNamespace(world.controlPlane.kubeConfig(), ns);
    await createBareMetalClusterObjects(world.api.client, {
      namespace: ns,
      cluster: CLUSTER,
      robot: { user: world.robot.user, password: world.robot.password },
      rescueKey: world.rescueKey,
      osKey: world.osKey,
    });
    const host = `host-${server}`;
    await createBareMetalHost(world.api.client, {
      namespace: ns,
      name: host,
      serverID: server,
      rootDeviceHints: hints,
    });
    const name = `${ns}-m1`;
    await createMachine(world.api.client, {
      namespace: ns,
      cluster: CLUSTER,
      name,
      imageUrl: world.imageUrl,
      ...machine,
    });
    return { host, machine: name };
  }

  const getHost = (ns: string, name: string): Promise<BareMetalHost> =>
    world.api.client.get<BareMetalHost>(bareMetalHostsKind, ns, name);
  const hostStatus = async (ns: string, name: string): Promise<HostStatus> =>
    (await getHost(ns, name)).spec.status ?? {};

  /** The reason of the host's v1beta2 ProvisionSucceeded condition. */
  async function provisionReason(ns: string, host: string): Promise<string | undefined> {
    const status = await hostStatus(ns, host);
    const conditions = (status.v1beta2 as { conditions?: { type: string; reason?: string }[] } | undefined)
      ?.conditions;
    return conditions?.find((c) => c.type === 'ProvisionSucceeded')?.reason;
  }

  async function hostEvents(ns: string, host: string): Promise<EventObject[]> {
    const events = await world.api.client.list<EventObject>(eventKind, { namespace: ns });
    return events.items.filter(
      (event) => event.regarding?.kind === 'HetznerBareMetalHost' && event.regarding.name === host,
    );
  }

  async function waitForState(ns: string, host: string, state: string, deadlineMs = 120_000): Promise<void> {
    await eventually(
      `host ${ns}/${host} to reach ${state || '(none)'}`,
      async () => (await hostStatus(ns, host)).provisioningState === state,
      deadlineMs,
    );
  }

  async function assertProvisioned(
    ns: string,
    names: { host: string; machine: string },
    server: number,
  ): Promise<void> {
    const machine = await world.api.client.get<BareMetalMachine>(bareMetalMachinesKind, ns, names.machine);
    await eventually('the machine to be ready with its providerID', async () => {
      const current = await world.api.client.get<BareMetalMachine>(bareMetalMachinesKind, ns, names.machine);
      return current.status?.ready === true && current.spec.providerID === `hcloud://bm-${server}`;
    });
    assert.ok(machine);
    const status = await hostStatus(ns, names.host);
    assert.equal(status.errorType, undefined);
    const ready = (status.conditions as { type: string; status: string }[] | undefined)?.find(
      (c) => c.type === 'Ready',
    );
    assert.equal(ready?.status, 'True', 'the host is Ready');
    const os = await connectWhenUp(status.ipv4 ?? '', world.osKey.privateKey);
    try {
      const hostname = (await os.exec('hostname')).stdout.toString().trim();
      assert.equal(
        hostname,
        `bm-${names.machine}`,
        'the installed OS (logged in with the image key) has CAPH’s host name',
      );
    } finally {
      os.end();
    }
    assert.equal(
      world.robot.server(server).name,
      `bm-${names.machine}`,
      'Robot names the server after the machine',
    );
  }

  async function recordedArgs(machine: string): Promise<string[]> {
    return (await readFile(join(world.scratch, `args-bm-${machine}`), 'utf8')).trimEnd().split('\n');
  }

  /** Deletes the HetznerBareMetalMachine (as Cluster API would) and waits for the host to be free. */
  async function release(
    ns: string,
    names: { host: string; machine: string },
    server: number,
  ): Promise<void> {
    await world.api.client.delete(bareMetalMachinesKind, ns, names.machine);
    await eventually(
      'the HetznerBareMetalMachine to be gone',
      async () => (await world.api.client.find(bareMetalMachinesKind, ns, names.machine)) === undefined,
      90_000,
    );
    const host = await getHost(ns, names.host);
    const status = (host.spec.status ?? {}) as HostStatus;
    assert.equal(status.provisioningState ?? '', '', 'the host is available again');
    assert.equal(host.spec.consumerRef, undefined, 'no consumerRef is left');
    assert.equal(status.installImage, undefined);
    assert.equal(status.errorType, undefined);
    const robotServer = world.robot.servers().find((s) => s.number === server);
    assert.ok(robotServer);
    assert.equal(robotServer.rescueActive, false, 'the rescue system is disarmed');
    assert.equal(robotServer.name, names.host, 'Robot names the server after the host again');
  }

  function robotCalls(): number {
    return world.robot.requests.counters().total;
  }

  interface Scenario {
    readonly ns: string;
    readonly server: number;
    readonly hints: { wwn?: string; raid?: { wwn: string[] } };
    readonly machine: Omit<MachineInput, 'namespace' | 'cluster' | 'name' | 'imageUrl'>;
    /** The command's exact fourth argument. */
    readonly expectedDevices: string;
  }

  async function provisionAndRelease(t: TestContext, scenario: Scenario): Promise<void> {
    const { ns, server, hints, machine, expectedDevices } = scenario;
    const callsBefore = robotCalls();
    const started = Date.now();
    const names = await setUp(ns, server, hints, machine);
    await waitForState(ns, names.host, 'provisioned', 150_000);
    const provisionedCalls = robotCalls() - callsBefore;
    t.diagnostic(`provisioned in ${Date.now() - started} ms with ${provisionedCalls} Robot API calls`);
    assert.deepEqual(await recordedArgs(names.machine), [
      world.imageUrl,
      '/root/bootstrap.data',
      `bm-${names.machine}`,
      expectedDevices,
    ]);
    await assertProvisioned(ns, names, server);
    const events = await hostEvents(ns, names.host);
    assert.ok(
      events.some((e) => e.type === 'Normal' && (e.note ?? '').includes('IMAGE_URL_DONE')),
      'a Normal event carries the command output',
    );
    const releaseStarted = robotCalls();
    await release(ns, names, server);
    t.diagnostic(`released with ${robotCalls() - releaseStarted} Robot API calls`);
  }

  it('provisions a host with one disk: the command gets `sda`, the OS boots with the machine’s host name', async (t) => {
    await provisionAndRelease(t, {
      ns: 'bm-one',
      server: servers.oneDisk,
      hints: { wwn: wwn(servers.oneDisk, 0) },
      machine: { command: commands.recording },
      expectedDevices: 'sda',
    });
  });

  it('provisions a host with two RAID disks (swraid 1): the command gets `sda sdb`', async (t) => {
    const hints = { raid: { wwn: [wwn(servers.raid, 0), wwn(servers.raid, 1)] } };
    await provisionAndRelease(t, {
      ns: 'bm-raid',
      server: servers.raid,
      hints,
      machine: { command: commands.recording, swraid: 1 },
      expectedDevices: 'sda sdb',
    });
  });

  it('passes the WWN with deviceStringType wwn, and the command installs onto that disk', async (t) => {
    const target = wwn(servers.wwn, 1);
    await provisionAndRelease(t, {
      ns: 'bm-wwn',
      server: servers.wwn,
      hints: { wwn: target },
      machine: { command: commands.recording, deviceStringType: 'wwn' },
      expectedDevices: target,
    });
  });

  it('a failing command: a Warning event with its output, a fatal error, remediation; deleting frees the host', async () => {
    const ns = 'bm-failing';
    const names = await setUp(
      ns,
      servers.failing,
      { wwn: wwn(servers.failing, 0) },
      { command: commands.failing },
    );
    await eventually(
      'the fatal error',
      async () => (await hostStatus(ns, names.host)).errorType === 'fatal error',
      120_000,
    );
    const events = await hostEvents(ns, names.host);
    const warning = events.find(
      (e) => e.type === 'Warning' && (e.note ?? '').includes('the disk is on fire'),
    );
    assert.ok(
      warning,
      `a Warning event with the output; got ${JSON.stringify(events.map((e) => [e.reason, e.note]))}`,
    );
    assert.equal(await provisionReason(ns, names.host), 'CustomProvisionerFailed');
    await eventually('the Machine to be marked for remediation', async () => {
      const machine = await world.api.client.get<KubeObject>(machineKind, ns, names.machine);
      return machine.metadata.annotations?.['cluster.x-k8s.io/remediate-machine'] !== undefined;
    });
    await release(ns, names, servers.failing);
  });

  it('a command past the timeout: a Warning event with its output; deleting frees the host', async () => {
    const ns = 'bm-hanging';
    const names = await setUp(
      ns,
      servers.hanging,
      { wwn: wwn(servers.hanging, 0) },
      { command: commands.hanging },
    );
    await eventually(
      'the fatal error',
      async () => (await hostStatus(ns, names.host)).errorType === 'fatal error',
      150_000,
    );
    const events = await hostEvents(ns, names.host);
    // The message says how long the command ran: the 25 s timeout, or a little more on a busy machine.
    const warning = events.find((e) => e.type === 'Warning' && /timed out after \d+s/.test(e.note ?? ''));
    assert.ok(warning, `a timeout Warning; got ${JSON.stringify(events.map((e) => [e.reason, e.note]))}`);
    const ranSeconds = Number(/timed out after (\d+)s/.exec(warning.note ?? '')?.[1]);
    assert.ok(ranSeconds >= 25 && ranSeconds < 60, `ran ${ranSeconds} s before the timeout struck`);
    assert.match(warning.note ?? '', /downloading forever/, 'the event carries the output');
    assert.equal(await provisionReason(ns, names.host), 'ImageURLCommandTimedOut');
    await release(ns, names, servers.hanging);
  });

  it('a host naming a Robot server an earlier host holds, from another namespace: held with a condition, the server never touched, deleting it leaves the server alone', async () => {
    const owner = 'bm-owner';
    await createNamespace(world.controlPlane.kubeConfig(), owner);
    await createBareMetalClusterObjects(world.api.client, {
      namespace: owner,
      cluster: CLUSTER,
      robot: { user: world.robot.user, password: world.robot.password },
      rescueKey: world.rescueKey,
      osKey: world.osKey,
    });
    const host = `host-${servers.shared}`;
    await createBareMetalHost(world.api.client, {
      namespace: owner,
      name: host,
      serverID: servers.shared,
      rootDeviceHints: { wwn: wwn(servers.shared, 0) },
    });
    await eventually(
      'the first host to be reconciled',
      async () => (await getHost(owner, host)).metadata.finalizers?.length === 1,
    );
    const since = new Date().toISOString();

    const ns = 'bm-rival';
    const names = await setUp(
      ns,
      servers.shared,
      { wwn: wwn(servers.shared, 0) },
      { command: commands.recording },
    );
    await eventually(
      'the ServerClaimedByAnotherHost condition',
      async () => (await provisionReason(ns, names.host)) === 'ServerClaimedByAnotherHost',
    );
    const status = await hostStatus(ns, names.host);
    assert.equal(status.provisioningState ?? '', '', 'the later host never starts provisioning');
    const condition = (status.conditions as { type: string; message?: string }[] | undefined)?.find(
      (c) => c.type === 'ProvisionSucceeded',
    );
    assert.match(
      condition?.message ?? '',
      new RegExp(`Robot server ${servers.shared} belongs to HetznerBareMetalHost ${owner}/${host}`),
    );
    const writes = (): string[] =>
      world.robot.requests
        .recent()
        .filter((r) => r.server === String(servers.shared) && r.method !== 'GET' && r.at >= since)
        .map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(writes(), [], 'no Robot write names the server');

    await world.api.client.delete(bareMetalMachinesKind, ns, names.machine);
    await world.api.client.delete(bareMetalHostsKind, ns, names.host);
    await eventually(
      'the later host to be gone',
      async () => (await world.api.client.find(bareMetalHostsKind, ns, names.host)) === undefined,
      60_000,
    );
    assert.ok(
      (await world.api.client.list<EventObject>(eventKind, { namespace: ns })).items.some(
        (e) => e.reason === 'ServerLeftToOtherHost' && e.type === 'Warning',
      ),
      'a Warning event says the server was left alone',
    );
    assert.deepEqual(writes(), [], 'deleting the later host wrote nothing to the server');
    assert.equal((await hostStatus(owner, host)).errorType, undefined, 'the first host is unharmed');
  });
});
