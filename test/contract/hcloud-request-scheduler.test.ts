import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../sim/process/wait-for.js';
import { HcloudServers } from '../../src/hetzner/cloud/index.js';
import { RequestScheduler } from '../../src/hetzner/cloud/request-scheduler.js';
import { ManualTime, settle } from '../support/manual-time.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const t0 = 1_800_000_000_000;

/** A scheduler whose API just said `remaining` of 3600 are left. */
async function lowBudget(
  time: ManualTime,
  remaining: number,
  keptForUrgent: number,
): Promise<RequestScheduler> {
  const scheduler = new RequestScheduler({ now: time.now, sleep: time.sleep, keptForUrgent });
  await scheduler.acquire();
  const resetAtMs = t0 + (3600 - remaining) * 1000;
  scheduler.answered({ limit: 3600, remaining, resetAtMs }, 200);
  return scheduler;
}

/** `machines` looks asked for at once, one per key; records who was let out when. */
function askAll(scheduler: RequestScheduler, time: ManualTime, keys: readonly string[]): Map<string, number> {
  const servedAt = new Map<string, number>();
  for (const key of keys) {
    void scheduler.acquire(key).then(() => {
      servedAt.set(key, time.now());
      scheduler.answered(undefined, 200);
    });
  }
  return servedAt;
}

describe('hcloud request scheduler (controllable clock)', () => {
  it('200 machines asking at once with 50 requests left: at most 50 spent, all served in one round', async () => {
    const time = new ManualTime(t0);
    const scheduler = await lowBudget(time, 50, 10);
    const machines = Array.from({ length: 200 }, (_, i) => `server ${i}`);
    const servedAt = askAll(scheduler, time, machines);
    await settle();
    const served = (): number => servedAt.size;
    assert.equal(served(), 40, 'all but the 10 kept for urgent requests go at once');
    for (let second = 1; served() < 200; second += 1) {
      await time.advance(1000);
      assert.ok(
        servedAt.size <= 40 + second,
        `never more than the refill: ${servedAt.size} after ${second} s`,
      );
      assert.ok(second <= 200, 'every machine is served within one round');
    }
    assert.equal(Math.max(...servedAt.values()) - t0, 160_000, 'one look per refilled request');
    assert.equal(scheduler.state().looksWaiting, 0);
  });

  it('serves machines round robin: one asking in a hot loop gets one look per round', async () => {
    const time = new ManualTime(t0);
    const scheduler = await lowBudget(time, 10, 10);
    const hot: number[] = [];
    for (let i = 0; i < 50; i += 1) void scheduler.acquire('server hot').then(() => hot.push(time.now()));
    const others = askAll(
      scheduler,
      time,
      Array.from({ length: 20 }, (_, i) => `server ${i}`),
    );
    while (others.size < 20) await time.advance(1000);
    assert.ok(hot.length <= 2, `the hot machine had ${hot.length} looks while 20 others waited for one`);
  });

  it('lets urgent requests go while looks wait for the budget', async () => {
    const time = new ManualTime(t0);
    const scheduler = await lowBudget(time, 10, 5);
    const servedAt = askAll(
      scheduler,
      time,
      Array.from({ length: 30 }, (_, i) => `server ${i}`),
    );
    await settle();
    assert.equal(servedAt.size, 5);
    assert.equal(await scheduler.acquire(), 0, 'a create does not queue behind the looks');
    scheduler.answered(undefined, 201);
    assert.equal(scheduler.state().looksWaiting, 25);
  });

  it('counts requests in flight against what the API reports left', async () => {
    const time = new ManualTime(t0);
    const scheduler = new RequestScheduler({ now: time.now, sleep: time.sleep, keptForUrgent: 0 });
    for (let i = 0; i < 5; i += 1) await scheduler.acquire('server 1');
    scheduler.answered({ limit: 3600, remaining: 5, resetAtMs: t0 + 3_595_000 }, 200);
    assert.equal(scheduler.state().available, 1, 'four of the five remaining are already on their way');
  });
});

describe('hcloud request scheduler against the Cloud simulator rate limit', () => {
  const time = new ManualTime(t0);
  let env: SimCloudEnv;
  before(async () => {
    env = await startSimCloud({ bootSystems: false, rateLimitPerHour: 100, rateLimitNow: time.now });
  });
  after(() => env.stop());

  it('200 machines looking at once, three times each, meet no 429; an urgent request does not queue', async () => {
    let inFlight = 0;
    let urgentSentAt: number | undefined;
    const statuses: number[] = [];
    const client = new HcloudServers({
      token: env.sim.token,
      endpoint: env.sim.endpoint,
      limitPerHour: 100,
      now: time.now,
      sleep: time.sleep,
      fetch: async (url, init) => {
        const href = url instanceof Request ? url.url : url.toString();
        if (href.includes('name=absent')) urgentSentAt = time.now();
        inFlight += 1;
        try {
          const response = await fetch(url, init);
          statuses.push(response.status);
          const body = await response.text();
          return new Response(body, { status: response.status, headers: response.headers });
        } finally {
          inFlight -= 1;
        }
      },
    });
    let done = 0;
    const machine = async (serverId: number): Promise<void> => {
      for (let look = 0; look < 3; look += 1) await client.getServer({ serverId });
      done += 1;
    };
    const all = Promise.all(Array.from({ length: 200 }, (_, i) => machine(1_000_000 + i)));
    const idle = (): boolean => inFlight === 0;
    await settle();
    while (!idle()) await settle(1);
    let urgentAskedAt: number | undefined;
    // Looks are coalesced within a short real-time window before they reach the budget: wait for
    // the client to be quiet (nothing on the wire, a budget wait pending) before moving the clock.
    const quiet = (): Promise<boolean> =>
      waitFor(
        () =>
          Promise.resolve(idle() && (done === 200 || time.nextTimerAt() !== undefined) ? true : undefined),
        {
          deadlineMs: 10_000,
          initialIntervalMs: 1,
          description: 'the client waiting for the budget',
        },
      );
    for (let steps = 0; done < 200; steps += 1) {
      await quiet();
      if (done === 200) break;
      await time.step(idle);
      if (steps === 50) {
        urgentAskedAt = time.now();
        void client.findServerByName({ name: 'absent' });
        await settle();
      }
    }
    await all;
    assert.ok(urgentSentAt !== undefined && urgentAskedAt !== undefined);
    assert.equal(urgentSentAt - urgentAskedAt, 0, 'the urgent request went at once, not behind 400 looks');
    assert.equal(statuses.length, 601);
    assert.equal(statuses.filter((status) => status === 429).length, 0);
    assert.equal(client.budgetState().rateLimited, 0);
  });
});
