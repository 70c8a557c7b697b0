import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { examples } from '../../api/v1beta1/index.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { ProcessGroup } from '../../sim/process/process-group.js';
import { webhookPath } from '../../src/webhooks/server/index.js';
import { CRD_DIR } from '../support/kube-runtime-fixtures.js';
import { createCertDir, type WebhookCa } from '../../sim/webhook/webhook-pki.js';

const bin = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));

interface ReviewResponse {
  response?: { uid?: string; allowed?: boolean; status?: { message?: string }; patch?: string };
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

/** An AdmissionReview for creating an HCloudMachine with `spec`. */
function review(uid: string, spec: Record<string, unknown>): string {
  const object = { ...structuredClone(examples.hcloudMachine), spec };
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta1', kind: 'HCloudMachine' },
      name: object.metadata.name,
      namespace: 'default',
      operation: 'CREATE',
      object,
    },
  });
}

/** POSTs `body` over TLS (verifying the server with `ca`) and parses the AdmissionReview answer. */
async function post(url: string, body: string, ca: string): Promise<ReviewResponse> {
  const sent = request(url, {
    method: 'POST',
    ca,
    agent: false,
    headers: { 'Content-Type': 'application/json' },
  });
  sent.end(body);
  const [response] = (await once(sent, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  assert.equal(response.statusCode, 200);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReviewResponse;
}

describe('imageurl controller --webhook-cert-dir (controller and webhooks in one process)', () => {
  let scratch = '';
  let certDir = '';
  let ca: WebhookCa;
  let controlPlane: KubeControlPlane | undefined;
  const group = new ProcessGroup();

  const controllerArgs = (...extra: string[]): string[] => [
    ...[bin, 'controller', '--kubeconfig', controlPlane?.kubeconfigPath ?? ''],
    ...['--metrics-bind-address', '0', '--health-probe-bind-address', '0'],
    ...['--hcloud-endpoint', 'http://127.0.0.1:9/v1', '--commands-dir', scratch],
    ...extra,
  ];

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-controller-webhook-'));
    certDir = join(scratch, 'certs');
    [{ ca }, controlPlane] = await Promise.all([
      createCertDir(certDir),
      startControlPlane({ crdPaths: [CRD_DIR] }),
    ]);
  });

  after(async () => {
    await group.stopAll();
    await controlPlane?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('answers AdmissionReviews over TLS while it reconciles, and stops both on SIGTERM', async () => {
    const member = group.start({
      name: 'imageurl controller --webhook-cert-dir',
      command: process.execPath,
      args: controllerArgs('--webhook-cert-dir', certDir, '--webhook-port', '0'),
      env: { ...process.env, IMAGEURL_LOG_LEVEL: 'info' },
    });
    await member.waitForOutput((text) => text.includes('Starting controller'), 60_000);
    const serving = logLine(member.output.text(), 'Serving admission webhooks');
    assert.ok(serving, 'the webhooks log where they serve');
    assert.match(String(serving['kinds']), /HCloudMachine/);
    const base = `https://127.0.0.1:${Number(serving['port'])}`;
    const text = member.output.text();
    assert.ok(
      text.indexOf('Serving admission webhooks') < text.indexOf('Starting controller'),
      'webhooks first',
    );

    const denied = await post(
      `${base}${webhookPath('validate', 'HCloudMachine')}`,
      review('uid-denied', { ...examples.hcloudMachine.spec, imageURLCommand: 'sub/dir' }),
      ca.certPem,
    );
    assert.equal(denied.response?.uid, 'uid-denied');
    assert.equal(denied.response.allowed, false);
    assert.match(denied.response.status?.message ?? '', /spec\.imageURLCommand/);
    const defaulted = await post(
      `${base}${webhookPath('mutate', 'HCloudMachine')}`,
      review('uid-defaulted', examples.hcloudMachine.spec),
      ca.certPem,
    );
    assert.equal(defaulted.response?.allowed, true);

    await group.stopMember(member, { graceMs: 10_000 });
    assert.equal(await member.waitForExit(), 'code 0');
    const stopped = member.output.text();
    const webhooksStop = stopped.indexOf('Stopping admission webhooks');
    assert.ok(
      webhooksStop > stopped.indexOf('Stopped controller'),
      'the webhooks stop after the controllers',
    );
  });

  it('fails at once with an error naming --webhook-cert-dir when the folder has no certificate', async () => {
    const missing = join(scratch, 'no-certs-here');
    const run = promisify(execFile)(process.execPath, controllerArgs('--webhook-cert-dir', missing));
    await assert.rejects(run, (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 1);
      assert.match(
        error.stderr ?? '',
        /^imageurl: --webhook-cert-dir: cannot read the TLS certificate .*no-certs-here\/tls\.crt \(ENOENT\)$/m,
      );
      return true;
    });
  });

  it('documents both flags in --help, the webhooks off by default', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'controller', '--help']);
    assert.match(stdout, /--webhook-cert-dir <dir>\s+serve the admission webhooks/);
    assert.match(stdout, /--webhook-port <port>[\s\S]*\(default: 9443\)/);
  });
});
