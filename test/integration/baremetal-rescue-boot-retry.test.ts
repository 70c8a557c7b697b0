import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventKind, type KubeObject } from '../../src/kube/index.js';
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

const MiB = 1024 * 1024;
const SERVER = 201;
const NS = 'bm-silent-rescue';
const HOST = `host-${SERVER}`;
/** registering's timeout in this controller (default 15 min); a busy machine's rescue boot fits well within. */
const RESCUE_BOOT_BUDGET_MS = 60_000;
const WWN = '0x5000c50000020100';

interface EventObject extends KubeObject {
  reason?: string;
  note?: string;
  type?: string;
  regarding?: { kind?: string; name?: string };
}

describe('bare-metal rescue-boot retry (kube-apiserver + Robot simulator)', () => {
  let world: BareMetalWorld;

  before(async () => {
    world = await startBareMetalWorld({
      servers: [
        { number: SERVER, name: 'dedicated-1', disks: [{ name: 'sda', sizeBytes: 64 * MiB, wwn: WWN }] },
      ],
      bareMetal: { timeoutsMs: { registering: RESCUE_BOOT_BUDGET_MS }, requeue: FAST_REQUEUE },
    });
  });

  after(async () => {
    await world.stop();
    assert.deepEqual(world.robot.errors, []);
  });

  it('a server whose first rescue boot never answers is reset by software and provisioned', async () => {
    // The first rescue boot consumes the activation but never answers SSH.
    world.robot.faults.add({ kind: 'boot', system: 'rescue', outcome: 'no-ssh', count: 1 });
    await createNamespace(world.controlPlane.kubeConfig(), NS);
    await createBareMetalClusterObjects(world.api.client, {
      namespace: NS,
      cluster: 'bm-cluster',
      robot: { user: world.robot.user, password: world.robot.password },
      rescueKey: world.rescueKey,
      osKey: world.osKey,
    });
    await createBareMetalHost(world.api.client, {
      namespace: NS,
      name: HOST,
      serverID: SERVER,
      rootDeviceHints: { wwn: WWN },
    });
    await createMachine(world.api.client, {
      namespace: NS,
      cluster: 'bm-cluster',
      name: `${NS}-m1`,
      imageUrl: world.imageUrl,
      command: commands.recording,
    });
    await eventually(
      `host ${HOST} to be provisioned`,
      async () => {
        const host = await world.api.client.get<BareMetalHost>(bareMetalHostsKind, NS, HOST);
        const status = host.spec.status ?? {};
        if (status.errorType !== undefined) throw new Error(`host failed: ${JSON.stringify(status)}`);
        return status.provisioningState === 'provisioned';
      },
      RESCUE_BOOT_BUDGET_MS * 4,
    );
    const events = (await world.api.client.list<EventObject>(eventKind, { namespace: NS })).items.filter(
      (event) => event.regarding?.name === HOST && event.reason === 'RescueBootReset',
    );
    assert.deepEqual(
      events.map((event) => [event.type, event.note]),
      [
        [
          'Warning',
          `rescue system did not answer within ${RESCUE_BOOT_BUDGET_MS / 1000} s; reset 1 of 2 (sw)`,
        ],
      ],
    );
    const resets = world.robot.requests
      .recent()
      .filter((request) => request.method === 'POST' && request.path.startsWith('/reset/'));
    assert.equal(resets.length, 2, 'preparing’s reset and one retry');
  });
});
