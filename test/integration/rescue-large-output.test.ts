import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awaitState, bashCommand, run, startInput, withRescueHost } from '../support/rescue-hosts.js';

const MiB = 1024 * 1024;

describe('a command printing 200 MB of output', () => {
  const { hosts, host } = withRescueHost('rescue-large-output');

  it('is observed with bounded reads: the reader grows by less than 64 MB', async () => {
    const session = await hosts.connect(host());
    const shell = await hosts.shell(host());
    // 100-byte lines, 100 MiB, a pause (observed while running), another 100 MiB, the marker.
    const line = 'x'.repeat(99);
    const body = [
      `yes ${line} | head -c ${100 * MiB}`,
      'while [ ! -e /root/release ]; do sleep 0.05; done',
      `yes ${line} | head -c ${100 * MiB}`,
      'echo IMAGE_URL_DONE',
    ].join('\n');
    const start = startInput({ attemptId: 'big', command: bashCommand(body) });
    await session.observe({ attemptId: 'big' }); // warm-up: SFTP channel, code paths
    const meter = startRssMeter();

    await session.startImageUrlCommand(start);
    const halfway = await awaitState(session, 'big', ['running']);
    await run(
      shell,
      `while [ "$(stat -c %s /root/image-url-command.log)" -lt ${100 * MiB} ]; do sleep 0.05; done`,
    );
    for (let i = 0; i < 5; i++) await session.observe({ attemptId: 'big' });
    await run(shell, 'touch /root/release');
    const done = await awaitState(session, 'big', ['succeeded', 'failed'], 60_000);
    for (let i = 0; i < 5; i++) await session.observe({ attemptId: 'big' });
    const growthMb = meter.stop();
    // Control: the same meter around a naive whole-log read must see it, or it proves nothing.
    const control = startRssMeter();
    const whole = await shell.exec('cat /root/image-url-command.log');
    const naiveMb = control.stop();
    console.log(
      `reader RSS growth: observe ${growthMb.toFixed(1)} MiB; naive whole read ${naiveMb.toFixed(1)} MiB`,
    );
    assert.equal(whole.stdout.length, done.log.sizeBytes);
    assert.ok(naiveMb > 100, `the meter saw only ${naiveMb.toFixed(1)} MiB for a 200 MiB read`);

    assert.equal(halfway.state, 'running');
    assert.equal(done.state, 'succeeded', done.failure?.message);
    assert.equal(done.log.sizeBytes, 200 * MiB + 'IMAGE_URL_DONE\n'.length);
    assert.equal(done.log.truncated, true);
    assert.ok(
      Buffer.byteLength(done.log.tail) <= 64 * 1024,
      `tail of ${Buffer.byteLength(done.log.tail)} bytes`,
    );
    assert.ok(done.log.tail.endsWith(`${line}\nIMAGE_URL_DONE\n`));
    assert.ok(growthMb < 64, `the reader grew by ${growthMb.toFixed(1)} MiB`);
  });
});

/** Samples this process's RSS every 5 ms; stop() returns the peak growth in MiB. */
function startRssMeter(): { stop(): number } {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return (peak - baseline) / MiB;
    },
  };
}
