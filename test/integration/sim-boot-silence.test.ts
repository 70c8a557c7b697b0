import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { waitFor } from '../../sim/process/wait-for.js';
import { serverBody, startSimCloud } from '../support/sim-cloud-env.js';

type Json = Record<string, unknown>;

/** What one TCP connection attempt to port 22 meets within `deadlineMs`. */
function attempt(host: string, deadlineMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: 22 });
    const done = (outcome: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done(socket.connecting ? 'no answer' : 'connected, silent'), deadlineMs);
    socket.once('data', (chunk: Buffer) =>
      done(chunk.toString().startsWith('SSH-2.0-') ? 'banner' : 'other'),
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? 'error')),
    );
  });
}

/** Powers a fresh server on into rescue; resolves its address while it boots. */
async function bootIntoRescue(
  mode: 'refuse' | 'drop',
): Promise<{ address: string; stop: () => Promise<void> }> {
  const env = await startSimCloud({
    whileBooting: mode,
    durations: { createServerMs: 0, startServerMs: 0, rescueToggleMs: 0, rescueBootMs: 2_500 },
  });
  const created = await env.api.call(
    'POST',
    '/servers',
    serverBody(`silence-${mode}`, { start_after_create: false }),
  );
  await env.api.waitForAction(created.body.action);
  const id = (created.body.server as Json).id as number;
  await env.api.waitForAction(
    (await env.api.call('POST', `/servers/${id}/actions/enable_rescue`, {})).body.action,
  );
  await env.api.call('POST', `/servers/${id}/actions/poweron`);
  return { address: env.sim.servers()[0]?.address ?? assert.fail('no server'), stop: () => env.stop() };
}

describe('a booting simulated server', () => {
  it('in drop mode, leaves connection attempts unanswered until SSH is up, then shows its banner', async () => {
    const server = await bootIntoRescue('drop');
    try {
      // The silence begins as the power-on reaches the machine; from then on no attempt is answered.
      await waitFor(async () => ((await attempt(server.address, 400)) === 'no answer' ? true : undefined), {
        deadlineMs: 60_000,
        initialIntervalMs: 20,
        description: 'connection attempts to go unanswered (no RST, no SYN-ACK)',
      });
      assert.equal(await attempt(server.address, 400), 'no answer');
      await waitFor(async () => ((await attempt(server.address, 300)) === 'banner' ? true : undefined), {
        // Generous: the boot itself is short, but a busy machine (a CI run at load 20) stretches it.
        deadlineMs: 120_000,
        initialIntervalMs: 50,
        description: 'the rescue system to answer',
      });
    } finally {
      await server.stop();
    }
  });

  it('in refuse mode (the default), refuses them at once', async () => {
    const server = await bootIntoRescue('refuse');
    try {
      assert.equal(await attempt(server.address, 600), 'refused');
    } finally {
      await server.stop();
    }
  });
});
