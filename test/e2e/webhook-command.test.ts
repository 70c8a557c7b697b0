import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { get } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ProcessGroup } from '../../sim/process/process-group.js';
import { createCertDir, type WebhookCa } from '../../sim/webhook/webhook-pki.js';

const bin = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));
const CONTROLLER = 'system:serviceaccount:capi-system:imageurl';

/** The HTTP status of a GET over TLS, verifying the server with `ca`. */
async function statusOf(url: string, ca: string): Promise<number> {
  const [response] = (await once(get(url, { ca, agent: false }), 'response')) as [IncomingMessage];
  response.resume();
  return response.statusCode ?? 0;
}

/** The fields of the first JSON log line with message `msg` in `output`. */
function logLine(output: string, msg: string): Record<string, unknown> | undefined {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry['msg'] === msg) return entry;
  }
  return undefined;
}

describe('imageurl webhook', () => {
  let scratch = '';
  let certDir = '';
  let ca: WebhookCa;
  const group = new ProcessGroup();

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-webhook-cli-'));
    certDir = join(scratch, 'certs');
    ({ ca } = await createCertDir(certDir));
  });

  after(async () => {
    await group.stopAll();
    await rm(scratch, { recursive: true, force: true });
  });

  it('serves /healthz over TLS from --cert-dir and exits 0 on SIGTERM', async () => {
    const member = group.start({
      name: 'imageurl webhook',
      command: process.execPath,
      args: [
        bin,
        'webhook',
        ...['--cert-dir', certDir, '--port', '0', '--bind-address', '127.0.0.1'],
        ...['--controller-username', CONTROLLER],
      ],
    });
    await member.waitForOutput((text) => logLine(text, 'Serving admission webhooks') !== undefined, 30_000);
    const serving = logLine(member.output.text(), 'Serving admission webhooks');
    assert.equal(serving?.['host'], '127.0.0.1');
    assert.match(String(serving['kinds']), /HCloudMachine/);
    assert.equal(serving['controllerUsername'], CONTROLLER);
    const port = Number(serving['port']);
    assert.ok(port > 0);
    assert.equal(await statusOf(`https://127.0.0.1:${port}/healthz`, ca.certPem), 200);
    assert.equal(await statusOf(`https://127.0.0.1:${port}/readyz`, ca.certPem), 200);

    await group.stopMember(member, { graceMs: 10_000 });
    assert.equal(await member.waitForExit(), 'code 0');
    assert.ok(logLine(member.output.text(), 'Stopping admission webhooks')?.['signal'] === 'SIGTERM');
    assert.ok(logLine(member.output.text(), 'Stopped admission webhooks'));
  });

  it('fails with a clear error naming the flag and the path when the cert folder is missing', async () => {
    const missing = join(scratch, 'no-certs-here');
    const run = promisify(execFile)(process.execPath, [bin, 'webhook', '--cert-dir', missing, '--port', '0']);
    await assert.rejects(run, (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 1);
      assert.equal(
        error.stderr?.trim(),
        `imageurl: --cert-dir: ${missing} does not exist (it must hold tls.crt and tls.key)`,
      );
      return true;
    });
  });

  it("fails naming --controller-username when it cannot ask the apiserver for the controller's identity", async () => {
    const missing = join(scratch, 'no-kubeconfig');
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: missing };
    delete env['IMAGEURL_KUBECONFIG'];
    const args = [bin, 'webhook', '--cert-dir', certDir, '--port', '0'];
    const run = promisify(execFile)(process.execPath, args, { env });
    await assert.rejects(run, (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 1);
      assert.match(
        error.stderr ?? '',
        /^imageurl: cannot learn the controller's username from the apiserver \(SelfSubjectReview\): .*; name it with --controller-username$/m,
      );
      return true;
    });
  });

  it('requires --cert-dir', async () => {
    const run = promisify(execFile)(process.execPath, [bin, 'webhook']);
    await assert.rejects(run, /required option '--cert-dir <dir>' not specified/);
  });
});
