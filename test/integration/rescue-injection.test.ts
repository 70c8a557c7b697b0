import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { waitFor } from '../../sim/process/wait-for.js';
import { awaitState, bashCommand, run, withRescueHost } from '../support/rescue-hosts.js';

/**
 * Values a user (imageURL, machine name, devices) or the operator (token) controls, built so
 * that any shell interpretation on the way to the command would create a canary file.
 */
function hostileValues(mark: string): {
  imageUrl: string;
  machineName: string;
  rootDevices: string[];
  registryToken: string;
} {
  const canary = (n: string): string => `/tmp/imageurl-canary-${n}`;
  return {
    imageUrl:
      `oci://example.com/img:v1?a='$(touch ${canary('u1')})'&b="\`touch ${canary('u2')}\`"` +
      `;touch ${canary('u3')}|touch ${canary('u4')}&touch ${canary('u5')} x\ntouch ${canary('u6')}\nü€`,
    machineName: `m1'; touch ${canary('m1')}; echo '"$(touch ${canary('m2')})" \`touch ${canary('m3')}\``,
    rootDevices: [
      'sda',
      '$(touch${IFS}imageurl-canary-d1)',
      '`touch${IFS}imageurl-canary-d2`',
      ';touch${IFS}imageurl-canary-d3;\'"',
      'a|touch${IFS}imageurl-canary-d4&ü',
    ],
    registryToken: `tok-${mark}'"$(touch ${canary('t1')})\`touch ${canary('t2')}\`;|& \nline2 ü€`,
  };
}

describe('values reach the command byte-exact, and the token stays secret', () => {
  const { hosts, host } = withRescueHost('rescue-injection');

  it('passes quotes, $(…), backticks, ;, |, &, spaces, newlines and non-ASCII verbatim; no canary appears', async () => {
    const mark = randomBytes(12).toString('hex');
    const values = hostileValues(mark);
    const session = await hosts.connect(host());
    const command = bashCommand(
      [
        'printf "%s\\0" "$@" >/root/seen-argv',
        'printf "%s" "$OCI_REGISTRY_AUTH_TOKEN" >/root/seen-token',
        'echo IMAGE_URL_DONE',
      ].join('\n'),
    );
    await session.startImageUrlCommand({ attemptId: 'inject', command, bootstrapData: 'b', ...values });
    assert.equal((await awaitState(session, 'inject', ['succeeded', 'failed'])).state, 'succeeded');

    const shell = await hosts.shell(host());
    const expectedArgv = [
      values.imageUrl,
      '/root/bootstrap.data',
      values.machineName,
      values.rootDevices.join(' '),
    ];
    assert.deepEqual(
      (await shell.exec('cat /root/seen-argv')).stdout,
      Buffer.from(expectedArgv.map((value) => `${value}\0`).join('')),
    );
    assert.deepEqual((await shell.exec('cat /root/seen-token')).stdout, Buffer.from(values.registryToken));
    assert.equal(await run(shell, 'find /root /tmp -name "imageurl-canary*"'), '');
  });

  it('keeps the token off every command line while the command runs, and redacts it from output', async () => {
    await hosts.bootRescue(host());
    const mark = randomBytes(12).toString('hex');
    const values = hostileValues(mark);
    const shell = await hosts.shell(host());
    // Samples every process's argv on the host(), as fast as it can, from before the start
    // (so the launcher's short life is covered) until the test has seen enough.
    await run(
      shell,
      "setsid bash -c 'while [ ! -e /tmp/stop-sampling ]; do ps -eo args; " +
        'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " <"$f"; echo; done; echo "--- round"; done ' +
        ">/tmp/samples 2>/dev/null' </dev/null >/dev/null 2>&1 &",
    );
    const session = await hosts.connect(host());
    const body = [
      'echo "token: $OCI_REGISTRY_AUTH_TOKEN"',
      'echo "again:$OCI_REGISTRY_AUTH_TOKEN."',
      'while [ ! -e /root/release ]; do sleep 0.05; done',
      'echo IMAGE_URL_DONE',
    ].join('\n');
    await session.startImageUrlCommand({
      attemptId: 'secret',
      command: bashCommand(body),
      bootstrapData: 'b',
      ...values,
    });
    const running = await awaitState(session, 'secret', ['running']);

    // Keep sampling while the command runs until many rounds have seen it.
    await waitFor(
      async () => {
        const rounds = await run(shell, 'grep -c -- "--- round" /tmp/samples');
        return Number(rounds) >= 30 ? true : undefined;
      },
      { deadlineMs: 20_000, description: '30 process-list samples' },
    );
    await run(shell, 'touch /tmp/stop-sampling /root/release');
    const done = await awaitState(session, 'secret', ['succeeded', 'failed']);
    const samples = (await shell.exec('cat /tmp/samples')).stdout.toString();
    assert.ok(samples.includes('/root/image-url-command'), 'the samples never saw the command running');
    assert.ok(samples.includes('launcher-'), 'the samples never saw the launcher');
    assert.ok(!samples.includes(mark), 'the token appeared on a command line');

    for (const observation of [running, done]) {
      assert.ok(!JSON.stringify(observation).includes(mark), 'the token came back unredacted');
    }
    assert.match(done.log.tail, /^token: \[REDACTED\]\nagain:\[REDACTED\]\.\nIMAGE_URL_DONE\n$/);
  });
});
