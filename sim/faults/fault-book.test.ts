import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultBook, InvalidFaultRulesError } from './fault-book.js';

describe('fault book', () => {
  it('applies a counted rule exactly count times, then no more', () => {
    const book = new FaultBook();
    book.add({ kind: 'request', method: 'POST', path: '/v1/servers', status: 503, count: 2 });
    const hits = [1, 2, 3].map(() => book.forRequest('POST', '/v1/servers', '/v1/servers'));
    assert.deepEqual(
      hits.map((hit) => hit?.status),
      [503, 503, undefined],
    );
    assert.deepEqual(book.list(), []);
  });

  it('matches by method, route pattern or literal path, command and boot system', () => {
    const book = new FaultBook();
    book.add([
      { kind: 'request', path: '/v1/servers/:id', status: 500 },
      { kind: 'action', command: 'start_server', outcome: 'never-finish' },
      { kind: 'boot', system: 'rescue', server: 'cloud-7', outcome: 'wrong-hostname', hostname: 'nope' },
    ]);
    assert.equal(book.forRequest('GET', '/v1/servers', '/v1/servers'), undefined);
    assert.equal(book.forRequest('GET', '/v1/servers/:id', '/v1/servers/7')?.status, 500);
    assert.equal(book.forAction('stop_server'), undefined);
    assert.equal(book.forAction('start_server')?.outcome, 'never-finish');
    assert.equal(book.forBoot('os', 'cloud-7'), undefined);
    assert.equal(book.forBoot('rescue', 'cloud-8'), undefined);
    assert.equal(book.forBoot('rescue', 'cloud-7')?.hostname, 'nope');
  });

  it('matches a boot rule by any name of the machine (a Cloud server is also known by its name)', () => {
    const book = new FaultBook();
    book.add([{ kind: 'boot', system: 'rescue', server: 'my-machine', outcome: 'no-ssh', count: 1 }]);
    assert.equal(book.forBoot('rescue', ['cloud-8']), undefined);
    assert.equal(book.forBoot('rescue', ['cloud-7', 'my-machine'])?.outcome, 'no-ssh');
  });

  it('matches connection resets by method and path; a seeded book draws the same faults again', () => {
    const book = new FaultBook();
    book.add({ kind: 'connection', method: 'POST', path: '/v1/servers', when: 'after-serving' });
    assert.equal(book.forConnection('GET', '/v1/servers', '/v1/servers'), undefined);
    assert.equal(book.forConnection('POST', '/v1/servers', '/v1/servers')?.when, 'after-serving');
    assert.equal(book.forRequest('POST', '/v1/servers', '/v1/servers'), undefined);
    const draws = (seed: number): boolean[] => {
      const seeded = new FaultBook();
      seeded.seed(seed);
      seeded.add({ kind: 'action', outcome: 'error', rate: 0.5 });
      return Array.from({ length: 32 }, () => seeded.forAction('x') !== undefined);
    };
    assert.deepEqual(draws(7), draws(7));
    assert.notDeepEqual(draws(7), draws(8));
  });

  it('rolls the rate per event without consuming the count on a miss', () => {
    const rolls = [0.9, 0.1];
    const book = new FaultBook(() => rolls.shift() ?? 1);
    book.add({ kind: 'action', outcome: 'error', rate: 0.5, count: 1 });
    assert.equal(book.forAction('x'), undefined);
    assert.equal(book.forAction('x')?.outcome, 'error');
    assert.equal(book.forAction('x'), undefined);
  });

  it('refuses invalid rules as a whole, naming the problem', () => {
    const book = new FaultBook();
    assert.throws(
      () =>
        book.add([
          { kind: 'request', status: 503 },
          { kind: 'request', status: 200 },
        ]),
      (error: unknown) => error instanceof InvalidFaultRulesError && /1\.status/.test(error.message),
    );
    assert.deepEqual(book.list(), []);
  });
});
