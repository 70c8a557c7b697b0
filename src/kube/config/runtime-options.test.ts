import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBindAddress } from '../ops/ops-server.js';
import { formatDuration, parseDuration } from './duration.js';
import { clusterKind, infrastructureKind } from '../client/kinds.js';
import { resolveRuntimeOptions } from './runtime-options.js';
import { watchFilterSelector } from './watch-filter.js';

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

describe('--watch-filter', () => {
  it('selects our kinds by the Cluster API watch label; empty means no filter', () => {
    assert.equal(resolveRuntimeOptions({}, { IMAGEURL_WATCH_FILTER: '' }).watchFilter, undefined);
    const options = resolveRuntimeOptions({}, { IMAGEURL_WATCH_FILTER: 'team-a' });
    const selectorOf = watchFilterSelector(options.watchFilter) ?? assert.fail('no selector');
    const hcloudMachines = infrastructureKind({ kind: 'HCloudMachine', plural: 'hcloudmachines' });
    assert.equal(selectorOf(hcloudMachines), 'cluster.x-k8s.io/watch-filter=team-a');
    assert.equal(selectorOf(clusterKind), undefined, 'Cluster API objects are read whatever their labels');
    assert.equal(watchFilterSelector(undefined), undefined);
  });

  it('refuses what is no label value, naming the flag and what is allowed', () => {
    assert.throws(
      () => resolveRuntimeOptions({ 'watch-filter': 'a,b' }, {}),
      /^ConfigError: --watch-filter: invalid value "a,b"; allowed: a label value/,
    );
    assert.throws(
      () => resolveRuntimeOptions({}, { IMAGEURL_WATCH_FILTER: 'x'.repeat(64) }),
      /IMAGEURL_WATCH_FILTER/,
    );
  });
});
