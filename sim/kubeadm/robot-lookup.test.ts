import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RobotSimulator } from '../robot/robot-simulator.js';
import type { InstanceLookup } from './cloud-node-controller.js';
import { firstFound, robotLookup } from './robot-lookup.js';

describe('the cloud controller stand-in finds dedicated servers in Robot by name', () => {
  let scratch = '';
  let sim: RobotSimulator;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-robot-lookup-'));
    sim = await RobotSimulator.start({
      stateDir: join(scratch, 'robot'),
      profile: 'fast',
      ipLock: false,
      bootSystems: false,
      workloadClusters: false,
      servers: [
        { number: 321, name: 'bm-metal-md-0-abc' },
        { number: 322, name: 'dedicated-2' },
      ],
    });
  });

  after(async () => {
    await sim.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('gives hcloud://bm-<server number> and the server’s name and main IP for the node of that name', async () => {
    const lookup = robotLookup(() => sim.endpoint, sim.user, sim.password);
    const found = (await lookup('bm-metal-md-0-abc')) ?? assert.fail('not found');
    assert.equal(found.providerID, 'hcloud://bm-321');
    assert.deepEqual(
      found.addresses.map((a) => a.type),
      ['Hostname', 'ExternalIP'],
    );
    assert.equal(found.addresses[0]?.address, 'bm-metal-md-0-abc');
    assert.equal(await lookup('bm-unknown'), undefined, 'a node Robot does not know stays as it is');
  });

  it('fails on wrong credentials rather than leaving every node uninitialised silently', async () => {
    const lookup = robotLookup(() => sim.endpoint, sim.user, 'wrong');
    await assert.rejects(lookup('bm-metal-md-0-abc'), /HTTP 401/);
  });

  it('asks the Cloud first and Robot only for nodes the Cloud does not know', async () => {
    const asked: string[] = [];
    const cloud: InstanceLookup = (name) => {
      asked.push(name);
      return Promise.resolve(name === 'cloud-node' ? { providerID: 'hcloud://7', addresses: [] } : undefined);
    };
    const both = firstFound(
      cloud,
      robotLookup(() => sim.endpoint, sim.user, sim.password),
    );
    assert.equal((await both('cloud-node'))?.providerID, 'hcloud://7');
    assert.equal((await both('bm-metal-md-0-abc'))?.providerID, 'hcloud://bm-321');
    assert.deepEqual(asked, ['cloud-node', 'bm-metal-md-0-abc']);
  });
});
