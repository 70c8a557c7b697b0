import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from './rate-limiter.js';
import { WorkQueue } from './work-queue.js';

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('b');
    queue.add('a');
    assert.equal(queue.length, 2);
    assert.equal(await queue.get(), 'a');
    assert.equal(await queue.get(), 'b');
  });

  it('does not hand out a key in progress; an add meanwhile queues it again after done', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    const key = await queue.get();
    queue.add('a');
    assert.equal(queue.length, 0, 'the key is in progress, so it is only marked dirty');
    assert.equal(key, 'a');
    queue.done('a');
    assert.equal(queue.length, 1);
    assert.equal(await queue.get(), 'a');
  });

  it('hands a key to a waiting worker as soon as it is added', async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    queue.add('x');
    assert.equal(await waiting, 'x');
    assert.equal(queue.inProgress, 1);
  });

  it('keeps the earliest of several delayed adds of one key', async () => {
    const queue = new WorkQueue();
    queue.addAfter('a', 10_000);
    queue.addAfter('a', 20);
    queue.addAfter('a', 5_000);
    assert.equal(queue.pendingLater, 1);
    const began = performance.now();
    assert.equal(await queue.get(), 'a');
    assert.ok(performance.now() - began < 1_000);
    queue.shutDown();
  });

  it('delays rate-limited adds by doubling per-key backoff and resets it on forget', () => {
    const queue = new WorkQueue({ rateLimiter: new RateLimiter({ baseDelayMs: 10, maxDelayMs: 50 }) });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => queue.addRateLimited('a')),
      [10, 20, 40, 50, 50],
    );
    queue.forget('a');
    assert.equal(queue.addRateLimited('a'), 10);
    queue.shutDown();
  });

  it('after shutDown hands out nothing and drain waits for keys in progress', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('b');
    assert.equal(await queue.get(), 'a');
    queue.shutDown();
    assert.equal(await queue.get(), undefined, 'b is abandoned: the caches still know it');
    let drained = false;
    const draining = queue.drain().then(() => (drained = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(drained, false, 'a is still in progress');
    queue.done('a');
    await draining;
    assert.equal(drained, true);
  });

  it('wakes waiting workers with undefined on shutDown', async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    queue.shutDown();
    assert.equal(await waiting, undefined);
    queue.add('late');
    assert.equal(queue.length, 0);
  });
});

describe('RateLimiter', () => {
  it('applies the overall bucket once the burst is used up', () => {
    let now = 0;
    const limiter = new RateLimiter({ baseDelayMs: 1, bucketPerSecond: 10, bucketBurst: 2, now: () => now });
    assert.equal(limiter.when('a'), 1);
    assert.equal(limiter.when('b'), 1);
    assert.equal(limiter.when('c'), 100, 'the third retry waits for a token at 10/s');
    now = 1_000;
    assert.equal(limiter.when('d'), 1, 'tokens refill over time');
  });

  it('caps the per-key delay', () => {
    const limiter = new RateLimiter({ baseDelayMs: 5, maxDelayMs: 300_000, bucketBurst: 1_000 });
    let delay = 0;
    for (let i = 0; i < 100; i++) delay = limiter.when('k');
    assert.equal(delay, 300_000);
    assert.equal(limiter.retries('k'), 100);
  });
});
