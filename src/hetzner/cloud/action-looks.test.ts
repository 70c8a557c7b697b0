import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCloudError } from '../../ports/cloud-errors.js';
import { HcloudServers } from './hcloud-servers.js';

const token = 't'.repeat(64);

interface WireAction {
  id: number;
  command: string;
  status: string;
  progress: number;
  started: string;
  finished: string | null;
  error: null;
}

/** A Cloud API that knows some actions and answers `GET /actions?id=…`, recording each request. */
function cloud(actions: Map<number, WireAction>, urls: URL[], clock: { ms: number }): HcloudServers {
  return new HcloudServers({
    token,
    endpoint: 'https://api.example.test/v1/',
    now: () => clock.ms,
    fetch: (url) => {
      const parsed = new URL(url instanceof Request ? url.url : url.toString());
      urls.push(parsed);
      const ids = parsed.searchParams.getAll('id').map(Number);
      const found = ids.flatMap((id) => {
        const action = actions.get(id);
        return action === undefined ? [] : [action];
      });
      return Promise.resolve(
        new Response(JSON.stringify({ actions: found }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        }),
      );
    },
  });
}

const running = (id: number): WireAction => ({
  id,
  command: 'create_server',
  status: 'running',
  progress: 10,
  started: '2026-12-07T20:00:00Z',
  finished: null,
  error: null,
});

describe('action looks of many machines', () => {
  it('N machines looking at once cost one request, not N', async () => {
    const actions = new Map(Array.from({ length: 10 }, (_, i) => [i + 1, running(i + 1)]));
    const urls: URL[] = [];
    const servers = cloud(actions, urls, { ms: 0 });
    const answers = await Promise.all([...actions.keys()].map((actionId) => servers.getAction({ actionId })));
    assert.deepEqual(
      answers.map((a) => a.id),
      [...actions.keys()],
    );
    assert.equal(urls.length, 1);
    assert.equal(urls[0]?.pathname, '/v1/actions');
    assert.deepEqual(urls[0].searchParams.getAll('id').map(Number), [...actions.keys()]);
  });

  it('splits more than 25 ids into batches of at most 25', async () => {
    const actions = new Map(Array.from({ length: 30 }, (_, i) => [i + 1, running(i + 1)]));
    const urls: URL[] = [];
    const servers = cloud(actions, urls, { ms: 0 });
    await Promise.all([...actions.keys()].map((actionId) => servers.getAction({ actionId })));
    assert.deepEqual(
      urls.map((u) => u.searchParams.getAll('id').length),
      [25, 5],
    );
  });

  it("one machine's look tells the others their action finished, so their looks cost nothing", async () => {
    const actions = new Map([
      [1, running(1)],
      [2, running(2)],
    ]);
    const urls: URL[] = [];
    const clock = { ms: 0 };
    const servers = cloud(actions, urls, clock);
    await Promise.all([servers.getAction({ actionId: 1 }), servers.getAction({ actionId: 2 })]);
    actions.set(2, { ...running(2), status: 'success', progress: 100, finished: '2026-12-07T20:00:09Z' });
    clock.ms = 5_000;
    assert.equal((await servers.getAction({ actionId: 1 })).status, 'running');
    assert.deepEqual(urls[1]?.searchParams.getAll('id').map(Number), [1, 2]);
    clock.ms = 6_000;
    assert.equal((await servers.getAction({ actionId: 2 })).status, 'success');
    assert.equal(urls.length, 2);
  });

  it('an unknown action rejects with not_found', async () => {
    const servers = cloud(new Map(), [], { ms: 0 });
    await assert.rejects(servers.getAction({ actionId: 7 }), (error) => isCloudError(error, 'not_found'));
  });
});
