import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventKind, type KubeObject } from '../../src/kube/index.js';
import { createNamespace } from '../support/kube-objects.js';
import { eventually } from '../support/kube-runtime-fixtures.js';
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
import { SimRobotClient } from '../support/sim-robot-client.js';

const MiB = 1024 * 1024;
const CLUSTER = 'bm-cluster';
const STATE_ANNOTATION = 'imageurl.io/host-provisioning-state';

const servers = { vouched: 121, foreign: 122, osRekeyed: 123 } as const;
const wwnOf = (server: number): string => `0x5000c500${server}00`;

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
};

/**
 * Host keys on bare metal, against real sshd: Robot (the simulator, opted in) publishes the
 * rescue system's host key in its activation answer, and the installed OS is pinned per boot.
 */
describe('bare-metal host keys: Robot-vouched rescue keys and the installed OS pinned per boot (kube-apiserver + Robot simulator + sshd)', () => {
  let world: BareMetalWorld;

  before(async () => {
    world = await startBareMetalWorld({
      servers: Object.values(servers).map((number) => ({
        number,
        name: `dedicated-${number}`,
        disks: [{ name: 'sda', sizeBytes: 64 * MiB, wwn: wwnOf(number) }],
      })),
      publishRescueHostKeys: true,
      bareMetal: {
        requeue: FAST_REQUEUE,
      },
    });
  });

  after(async () => {
    await world.stop();
    assert.deepEqual(world.robot.errors, []);
  });

  /** A namespace with the cluster objects, a host for `server` and a machine claiming it. */
  async function setUp(ns: string, server: number): Promise<{ host: string; machine: string }> {
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
      rootDeviceHints: { wwn: wwnOf(server) },
    });
    const machine = `${ns}-m1`;
    await createMachine(world.api.client, {
      namespace: ns,
      cluster: CLUSTER,
      name: machine,
      imageUrl: world.imageUrl,
      command: commands.recording,
    });
    return { host, machine };
  }

  const getHost = (ns: string, name: string): Promise<BareMetalHost> =>
    world.api.client.get<BareMetalHost>(bareMetalHostsKind, ns, name);
  const hostStatus = async (ns: string, name: string): Promise<HostStatus> =>
    (await getHost(ns, name)).spec.status ?? {};
  const bookkeeping = async (ns: string, name: string): Promise<Record<string, unknown>> =>
    JSON.parse((await getHost(ns, name)).metadata.annotations?.[STATE_ANNOTATION] ?? '{}') as Record<
      string,
      unknown
    >;

  async function provisionReason(ns: string, host: string): Promise<string | undefined> {
    const status = await hostStatus(ns, host);
    const conditions = (status.v1beta2 as { conditions?: { type: string; reason?: string }[] } | undefined)
      ?.conditions;
    return conditions?.find((c) => c.type === 'ProvisionSucceeded')?.reason;
  }

  async function warnings(ns: string, host: string): Promise<EventObject[]> {
    const events = await world.api.client.list<EventObject>(eventKind, { namespace: ns });
    return events.items.filter(
      (event) =>
        event.type === 'Warning' &&
        event.regarding?.kind === 'HetznerBareMetalHost' &&
        event.regarding.name === host,
    );
  }

  /** Waits until the host is provisioned or has failed; says which. */
  async function outcome(ns: string, host: string, deadlineMs: number): Promise<HostStatus> {
    let last: HostStatus = {};
    await eventually(
      `host ${ns}/${host} to be provisioned or to fail`,
      async () => {
        last = await hostStatus(ns, host);
        return last.provisioningState === 'provisioned' || last.errorType === 'fatal error';
      },
      deadlineMs,
    );
    return last;
  }

  const commandRan = (machine: string): Promise<boolean> =>
    access(join(world.scratch, `args-bm-${machine}`)).then(
      () => true,
      () => false,
    );

  it('provisions when the rescue system presents the host key Robot’s activation answer gave', async () => {
    const names = await setUp('bmk-vouched', servers.vouched);
    await eventually(
      'Robot’s host key to be recorded for the first rescue connection',
      async () => {
        const keys = (await bookkeeping('bmk-vouched', names.host)).rescueHostKeysFromRobot;
        return Array.isArray(keys) && keys.length === 1 && /^MD5:[0-9a-f:]{47}$/.test(String(keys[0]));
      },
      60_000,
    );
    const status = await outcome('bmk-vouched', names.host, 150_000);
    assert.equal(status.errorType, undefined, String(status.errorMessage));
    assert.equal(status.provisioningState, 'provisioned');
    assert.ok(await commandRan(names.machine), 'the command ran on the vouched rescue system');
  });

  it('fails closed, sending nothing, when the booted rescue system presents a key Robot did not give', async () => {
    world.robot.faults.add({
      kind: 'boot',
      system: 'rescue',
      server: `robot-${servers.foreign}`,
      outcome: 'foreign-host-key',
      count: 1,
    });
    const names = await setUp('bmk-foreign', servers.foreign);
    const status = await outcome('bmk-foreign', names.host, 150_000);
    assert.equal(status.provisioningState, 'registering', 'stopped before anything was uploaded');
    assert.equal(status.errorType, 'fatal error');
    assert.match(String(status.errorMessage), /none of the host keys Robot gave/);
    assert.equal(await provisionReason('bmk-foreign', names.host), 'RescueHostKeyNotFromRobot');
    assert.ok(
      (await warnings('bmk-foreign', names.host)).some((e) => e.reason === 'RescueHostKeyNotFromRobot'),
      'a Warning event names the reason',
    );
    assert.equal(await commandRan(names.machine), false, 'the command never ran there');
  });

  it('pins the installed OS at its first connection; another key within that boot fails closed', async () => {
    const ns = 'bmk-os';
    // The first OS boot answers with another hostname, so the check connects more than once.
    world.robot.faults.add({
      kind: 'boot',
      system: 'os',
      server: `robot-${servers.osRekeyed}`,
      outcome: 'wrong-hostname',
      hostname: 'still-booting',
      count: 1,
    });
    const names = await setUp(ns, servers.osRekeyed);
    await eventually(
      'the check to have reached the installed OS (it answers with another hostname)',
      async () => {
        const status = await hostStatus(ns, names.host);
        const conditions = (status.conditions as { type: string; message?: string }[] | undefined) ?? [];
        return conditions.some((c) => /answers as "still-booting"/.test(c.message ?? ''));
      },
      150_000,
    );
    const firstBoot = world.robot.server(servers.osRekeyed).machine.host.booted?.hostKeyFingerprint;
    assert.ok(firstBoot);
    // A reboot the controller did not ask for: the same address answers with a new key.
    const robot = new SimRobotClient(world.robot.endpoint, world.robot.user, world.robot.password);
    assert.equal((await robot.call('POST', `/reset/${servers.osRekeyed}`, { type: 'hw' })).status, 200);
    const status = await outcome(ns, names.host, 60_000);
    assert.equal(status.provisioningState, 'ensure-provisioned', 'never taken for provisioned');
    assert.equal(status.errorType, 'fatal error');
    assert.match(String(status.errorMessage), /host key differs from the one pinned/);
    assert.equal(await provisionReason(ns, names.host), 'OSHostKeyChanged');
    assert.ok(
      (await warnings(ns, names.host)).some((e) => e.reason === 'OSHostKeyChanged'),
      'a Warning event names the reason',
    );
    const pinned = (await bookkeeping(ns, names.host)).osHostKey;
    assert.equal(pinned, firstBoot, 'the pin, kept with the rescue pin, is the first connection’s key');
  });
});
