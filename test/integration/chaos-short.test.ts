import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nonZero, table } from '../../bench/chaos-figures.js';
import { runChaos } from '../../bench/chaos-run.js';

/**
 * The chaos soak of bench/chaos.ts, small: a few Cloud and bare-metal machines provisioned and
 * deleted while the two controller replicas are SIGKILLed, the simulators inject their faults
 * and the apiserver goes away once. Nothing may be duplicated, run twice, left behind or leaked.
 */
describe('chaos soak, short (controller processes + kube-apiserver + Cloud and Robot simulators + OCI registry)', () => {
  it('keeps every zero-figure at zero', { timeout: 20 * 60_000 }, async () => {
    const figures = await runChaos({
      seed: Number(process.env.IMAGEURL_CHAOS_SEED ?? 1),
      minutes: 3,
      hcloudMachines: 3,
      bareMetalMachines: 2,
      kills: 5,
      outageSeconds: 15,
      cleanupMinutes: 8,
      progress: (line) => console.log(line),
    });
    console.log(table(figures));
    assert.deepEqual(nonZero(figures), [], JSON.stringify(figures.details, null, 2));
    assert.equal(figures.kills.total, 5, 'every planned SIGKILL hit a running controller');
    assert.ok(figures.machines.created.hcloud >= 3 && figures.machines.created.baremetal >= 2);
  });
});
