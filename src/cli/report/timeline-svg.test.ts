import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MachineHistory } from './machine-history.js';
import { escapeXml, timelineRows, timelineSvg } from './timeline-svg.js';

const t0 = Date.parse('2026-09-01T10:00:00Z');
const history = (name: string, changes: MachineHistory['changes']): MachineHistory => ({
  kind: 'HCloudMachine',
  namespace: 'ns',
  name,
  state: changes.at(-1)?.to ?? '',
  changes,
});
const change = (
  [from, to]: [string, string],
  atS: number,
  durationS: number,
  reason?: string,
): MachineHistory['changes'][number] => ({
  from,
  to,
  at: new Date(t0 + atS * 1000),
  durationMs: durationS * 1000,
  ...(reason === undefined ? {} : { reason }),
});

describe('the timeline', () => {
  const histories = [
    history('a', [change(['', 'Initializing'], 0, 0), change(['Initializing', 'EnablingRescue'], 40, 40)]),
    history('b<&>', [
      change(['', 'Initializing'], 20, 0),
      change(['Initializing', 'ProvisioningFailed'], 60, 40, 'ImageURLCommandFailed'),
    ]),
  ];

  it('puts each state where it began and ended on an 800-pixel axis; the current one runs to now', () => {
    const rows = timelineRows(histories, t0, t0 + 80_000);
    assert.deepEqual(
      rows.map((row) => row.spans.map(({ state, x, width }) => [state, x, width])),
      [
        [
          ['Initializing', 0, 400],
          ['EnablingRescue', 400, 400],
        ],
        [
          ['Initializing', 200, 400],
          ['ProvisioningFailed', 600, 200],
        ],
      ],
    );
    assert.deepEqual(rows[1]?.failures, [{ x: 600, reason: 'ImageURLCommandFailed' }]);
  });

  it('writes one escaped row per machine and a legend', () => {
    const svg = timelineSvg(histories, t0 + 80_000);
    assert.equal(svg.match(/<g class="machine">/g)?.length, 2);
    assert.ok(svg.includes('ns/b&#60;&#38;&#62;'));
    assert.equal(svg.match(/<g class="legend">/g)?.length, 3);
    assert.equal(escapeXml('a\u0001"\''), 'a&#34;&#39;');
  });
});
