import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBindAddress } from '../ops/ops-server.js';
import { formatDuration, parseDuration } from './duration.js';
import { resolveRuntimeOptions } from './runtime-options.js';

describe('parseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['500ms', 500],
    ['15s', 15_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['0', 0],
    ['1.5s', 1_500],
    ['15', undefined],
    ['s', undefined],
    ['10x', undefined],
    ['1s 2s', undefined],
  ];
  for (const [text, ms] of cases)
    it(`reads ${JSON.stringify(text)}`, () => assert.equal(parseDuration(text), ms));

  it('formats back', () => {
    assert.equal(formatDuration(15_000), '15s');
    assert.equal(formatDuration(600_000), '10m');
    assert.equal(formatDuration(250), '250ms');
  });
});

describe('runtime option defaults', () => {
  it('listen on loopback only: every interface only when an address asks for it', () => {
    const defaults = resolveRuntimeOptions({}, {});
    for (const address of [defaults.metricsBindAddress, defaults.healthProbeBindAddress]) {
      assert.equal(parseBindAddress(address).host, '127.0.0.1', address);
    }
    const asked = resolveRuntimeOptions({ 'metrics-bind-address': ':8080' }, {});
    assert.equal(parseBindAddress(asked.metricsBindAddress).host, undefined);
  });
});
