import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startInProcessController } from './in-process-controller.js';

const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

describe('startInProcessController', () => {
  it('stops a controller that ran until it was asked to', async () => {
    await startInProcessController(untilAborted).stop();
  });

  it('fails the stop of a controller that crashed meanwhile, with what crashed it', async () => {
    const controller = startInProcessController(() => Promise.reject(new Error('lost the lease')));
    await assert.rejects(controller.stop(), /the in-process controller ended on its own: lost the lease/);
  });

  it('fails the stop of a controller that returned on its own', async () => {
    const controller = startInProcessController(() => Promise.resolve());
    await new Promise((resolve) => setImmediate(resolve)); // the test goes on while it has ended
    await assert.rejects(controller.stop(), /returned before it was stopped/);
  });
});
