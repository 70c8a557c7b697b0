import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawDurations } from '../../sim/machine/duration-draws.js';
import { durationProfiles, realisticRanges } from '../../sim/machine/durations.js';
import { serverBody, startSimCloud } from '../support/sim-cloud-env.js';

type Json = Record<string, unknown>;

const draw = (serverId: number, seed: number, timeScale = 1): Record<string, number> => ({
  ...drawDurations(durationProfiles.realistic, realisticRanges, serverId, { seed, timeScale }),
});

/** Durations that vary per server as measured on Hetzner, and `progress` as the real API reports it. */
describe('Cloud simulator realism', () => {
  it('draws each server its own durations within the measured range, with the measured mean, reproducibly', () => {
    assert.deepEqual(draw(7, 42), draw(7, 42), 'same seed and server, same durations');
    assert.notDeepEqual(draw(7, 42), draw(8, 42), 'another server, other durations');
    assert.notDeepEqual(draw(7, 42), draw(7, 43), 'another seed, other durations');
    for (const [key, range] of Object.entries(realisticRanges)) {
      const values = Array.from({ length: 4000 }, (_, id) => draw(id, 1)[key] ?? NaN);
      const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
      assert.ok(Math.min(...values) >= range.minMs && Math.max(...values) <= range.maxMs, key);
      assert.ok(
        Math.abs(mean - range.meanMs) < 0.02 * range.meanMs,
        `${key}: mean ${mean} vs ${range.meanMs}`,
      );
    }
    assert.equal(draw(7, 42, 0.1).createServerMs, Math.round((draw(7, 42).createServerMs ?? 0) * 0.1));
    assert.equal(
      draw(7, 42, 0.1).rescueLapseMs,
      durationProfiles.realistic.rescueLapseMs,
      'a rule, not a speed',
    );
  });

  it('reports progress rising from 0 over the action, 100 only when finished; a follower waits at 0', async () => {
    const env = await startSimCloud({
      bootSystems: false,
      durations: { createServerMs: 1_000, startServerMs: 600 },
    });
    try {
      const created = await env.api.call('POST', '/servers', serverBody('progress-1'));
      const action = created.body.action as Json;
      const follower = (created.body.next_actions as Json[])[0] ?? assert.fail('no start_server');
      assert.ok((action.progress as number) < 10, 'starts near 0');
      const seen: { progress: number; status: string; finished: unknown }[] = [];
      let followerWhileCreating: unknown;
      for (;;) {
        const now = (await env.api.call('GET', `/actions/${String(action.id)}`)).body.action as Json;
        seen.push({ progress: now.progress as number, status: now.status as string, finished: now.finished });
        if (now.status !== 'running') break;
        if ((now.progress as number) > 50 && followerWhileCreating === undefined)
          followerWhileCreating = (
            (await env.api.call('GET', `/actions/${String(follower.id)}`)).body.action as Json
          ).progress;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const progress = seen.map((entry) => entry.progress);
      assert.deepEqual(
        [...progress].sort((a, b) => a - b),
        progress,
        'never goes down',
      );
      assert.ok(
        progress.some((p) => p > 0 && p < 100),
        `rises in between: ${progress.join(',')}`,
      );
      for (const entry of seen) assert.equal(entry.progress === 100, entry.finished !== null);
      assert.equal(followerWhileCreating, 0, 'start_server has not begun while create_server runs');
    } finally {
      await env.stop();
    }
  });
});
