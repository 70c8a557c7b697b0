import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serverBody, startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

type Json = Record<string, unknown>;

/** Placement groups (docs.hetzner.cloud, "Placement Groups") and servers created in them. */
describe('Cloud simulator placement groups contract', () => {
  let env: SimCloudEnv;

  before(async () => {
    env = await startSimCloud({
      bootSystems: false,
      durations: { configActionMs: 200, createLoadBalancerMs: 300 },
    });
  });
  after(() => env.stop());

  function errorCode(body: Json): string {
    return (body.error as { code: string }).code;
  }

  async function createGroup(name: string, labels: Record<string, string> = {}): Promise<Json> {
    const created = await env.api.call('POST', '/placement_groups', { name, type: 'spread', labels });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.placement_group as Json;
  }

  it('creates with 201, action null, and the documented fields; reads, renames, lists by label', async () => {
    const created = await env.api.call('POST', '/placement_groups', {
      name: 'pg-shape',
      type: 'spread',
      labels: { role: 'cp' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), ['action', 'placement_group']);
    assert.equal(created.body.action, null);
    const group = created.body.placement_group as Json;
    assert.deepEqual(Object.keys(group).sort(), ['created', 'id', 'labels', 'name', 'servers', 'type']);
    assert.deepEqual(
      { name: group.name, type: group.type, labels: group.labels, servers: group.servers },
      { name: 'pg-shape', type: 'spread', labels: { role: 'cp' }, servers: [] },
    );
    assert.match(String(group.created), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await env.api.call('GET', `/placement_groups/${String(group.id)}`);
    assert.deepEqual(got.body.placement_group, group);
    const renamed = await env.api.call('PUT', `/placement_groups/${String(group.id)}`, {
      name: 'pg-shape-2',
    });
    assert.equal(renamed.status, 200);
    assert.equal((renamed.body.placement_group as Json).name, 'pg-shape-2');
    const listed = await env.api.call('GET', '/placement_groups?label_selector=role%3Dcp&type=spread');
    assert.deepEqual(
      (listed.body.placement_groups as Json[]).map((g) => g.name),
      ['pg-shape-2'],
    );
    assert.equal((listed.body.meta as { pagination: { total_entries: number } }).pagination.total_entries, 1);
  });

  it('refuses a taken name (409 uniqueness_error), another type and a missing name (422)', async () => {
    await createGroup('pg-unique');
    const again = await env.api.call('POST', '/placement_groups', { name: 'pg-unique', type: 'spread' });
    assert.equal(again.status, 409);
    assert.equal(errorCode(again.body), 'uniqueness_error');
    const compact = await env.api.call('POST', '/placement_groups', { name: 'pg-compact', type: 'compact' });
    assert.equal(compact.status, 422);
    assert.equal(errorCode(compact.body), 'invalid_input');
    const nameless = await env.api.call('POST', '/placement_groups', { type: 'spread' });
    assert.equal(nameless.status, 422);
    assert.equal((await env.api.call('GET', '/placement_groups/999999')).status, 404);
  });

  it('keeps servers in the group: create adds, delete removes, the server shows its group', async () => {
    const group = await createGroup('pg-members');
    const created = await env.api.call(
      'POST',
      '/servers',
      serverBody('pg-member-1', { placement_group: group.id }),
    );
    assert.equal(created.status, 201);
    const server = created.body.server as Json;
    assert.deepEqual(server.placement_group, { ...group, servers: [server.id] });
    const read = await env.api.call('GET', `/placement_groups/${String(group.id)}`);
    assert.deepEqual((read.body.placement_group as Json).servers, [server.id]);
    await env.api.waitForAction(created.body.action);
    for (const next of created.body.next_actions as Json[]) await env.api.waitForAction(next);
    const deleted = await env.api.call('DELETE', `/servers/${String(server.id)}`);
    assert.equal(deleted.status, 200);
    const afterDelete = await env.api.call('GET', `/placement_groups/${String(group.id)}`);
    assert.deepEqual((afterDelete.body.placement_group as Json).servers, []);
    const missing = await env.api.call(
      'POST',
      '/servers',
      serverBody('pg-member-x', { placement_group: 999999 }),
    );
    assert.equal(missing.status, 422);
    assert.equal(errorCode(missing.body), 'invalid_input');
  });

  it('takes 10 servers per spread group; the 11th create is refused and leaves nothing behind', async () => {
    const group = await createGroup('pg-full');
    for (let i = 1; i <= 10; i++) {
      const created = await env.api.call(
        'POST',
        '/servers',
        serverBody(`pg-full-${i}`, { placement_group: group.id }),
      );
      assert.equal(created.status, 201, `server ${i}`);
    }
    const refused = await env.api.call(
      'POST',
      '/servers',
      serverBody('pg-full-11', { placement_group: group.id }),
    );
    assert.equal(refused.status, 422);
    assert.deepEqual(refused.body.error, {
      code: 'placement_group_member_limit_reached',
      message: `placement group with ID ${String(group.id)} contains already 10 servers`,
      details: null,
    });
    const named = await env.api.call('GET', '/servers?name=pg-full-11');
    assert.deepEqual(named.body.servers, []);
    const read = await env.api.call('GET', `/placement_groups/${String(group.id)}`);
    assert.equal(((read.body.placement_group as Json).servers as number[]).length, 10);
  });

  it('moves a stopped server in and out of a group; a running one answers server_not_stopped', async () => {
    const group = await createGroup('pg-move');
    const running = await env.api.call('POST', '/servers', serverBody('pg-move-running'));
    await env.api.waitForAction(running.body.action);
    for (const next of running.body.next_actions as Json[]) await env.api.waitForAction(next);
    const id = String((running.body.server as Json).id);
    const notStopped = await env.api.call('POST', `/servers/${id}/actions/add_to_placement_group`, {
      placement_group: group.id,
    });
    assert.equal(notStopped.status, 422);
    assert.equal(errorCode(notStopped.body), 'server_not_stopped');
    const off = await env.api.call(
      'POST',
      '/servers',
      serverBody('pg-move-off', { start_after_create: false }),
    );
    await env.api.waitForAction(off.body.action);
    const offId = String((off.body.server as Json).id);
    const added = await env.api.call('POST', `/servers/${offId}/actions/add_to_placement_group`, {
      placement_group: group.id,
    });
    assert.equal(added.status, 201);
    const action = added.body.action as Json;
    assert.equal(action.command, 'add_to_placement_group');
    assert.deepEqual(action.resources, [
      { id: Number(offId), type: 'server' },
      { id: group.id, type: 'placement_group' },
    ]);
    const locked = await env.api.call('POST', `/servers/${offId}/actions/remove_from_placement_group`);
    assert.equal(locked.status, 423);
    assert.equal(errorCode(locked.body), 'locked');
    await env.api.waitForAction(action);
    const again = await env.api.call('POST', `/servers/${offId}/actions/add_to_placement_group`, {
      placement_group: group.id,
    });
    assert.equal(errorCode(again.body), 'already_in_placement_group');
    const removed = await env.api.call('POST', `/servers/${offId}/actions/remove_from_placement_group`);
    assert.equal(removed.status, 201);
    assert.equal((await env.api.server(Number(offId))).placement_group, null);
  });

  it('deletes with 204 and an empty body; then 404', async () => {
    const group = await createGroup('pg-delete');
    const deleted = await env.api.call('DELETE', `/placement_groups/${String(group.id)}`);
    assert.equal(deleted.status, 204);
    assert.deepEqual(deleted.body, {});
    assert.equal((await env.api.call('GET', `/placement_groups/${String(group.id)}`)).status, 404);
  });
});
