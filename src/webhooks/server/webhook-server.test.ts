import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../../sim/process/wait-for.js';
import { webhookProbeAdmission } from '../../../test/fixtures/webhook-probe-admission.js';
import {
  createCertDir,
  createWebhookCa,
  writeCertDir,
  type WebhookCa,
} from '../../../sim/webhook/webhook-pki.js';
import { CertificateFilesError } from './certificate-files.js';
import { startWebhookServer, type WebhookServer } from './webhook-server.js';

const CONTROLLER = 'system:serviceaccount:capi-system:imageurl';

interface Served {
  readonly status: number;
  /** Serial number of the certificate the server presented (upper-case hex). */
  readonly serial: string;
}

async function get(url: string, ca: string, agent: Agent | false = false): Promise<Served> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { ca, agent }, (response) => {
      const socket = response.socket;
      if (!(socket instanceof TLSSocket)) throw new Error('not a TLS connection');
      const serial = socket.getPeerCertificate().serialNumber;
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode ?? 0, serial }));
    });
    request.once('error', reject);
    request.end();
  });
}

describe('webhook server (TLS from a cert folder, reloaded on change)', () => {
  let scratch = '';
  let certDir = '';
  let ca: WebhookCa;
  let server: WebhookServer | undefined;
  const logs: string[] = [];

  function running(): WebhookServer {
    assert.ok(server, 'the server did not start');
    return server;
  }

  const healthz = (): string => `https://127.0.0.1:${running().port}/healthz`;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-webhook-server-'));
    certDir = join(scratch, 'certs');
    ({ ca } = await createCertDir(certDir));
    server = await startWebhookServer({
      kinds: [webhookProbeAdmission()],
      certDir,
      controllerUsername: CONTROLLER,
      port: 0,
      host: '127.0.0.1',
      // Only change notifications can make the rotation tests pass in time.
      certPollIntervalMs: 600_000,
      log: (message, fields) => logs.push(`${message} ${JSON.stringify(fields)}`),
    });
  });

  after(async () => {
    await server?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('serves over TLS with the certificate from tls.crt and tls.key', async () => {
    const served = await get(healthz(), ca.certPem);
    assert.equal(served.status, 200);
    assert.match(running().url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(
      logs.some((line) => line.startsWith('Serving admission webhooks') && line.includes('WebhookProbe')),
    );
  });

  it('serves a rotated certificate without a restart, once both files are written', async () => {
    const next = await ca.issue();
    await writeCertDir(certDir, next);
    await waitFor(
      async () =>
        (await get(healthz(), ca.certPem)).serial === next.serialNumber.toUpperCase() ? true : undefined,
      {
        deadlineMs: 5_000,
        description: `the server to present certificate ${next.serialNumber}`,
      },
    );
    assert.ok(logs.some((line) => line.startsWith('Reloaded TLS certificate')));
  });

  it('follows the atomic ..data symlink swap of a Kubernetes Secret volume, even to a new CA', async () => {
    const secretDir = join(scratch, 'secret-volume');
    const version = async (name: string, cert: Awaited<ReturnType<WebhookCa['issue']>>): Promise<void> => {
      await writeCertDir(join(secretDir, name), cert);
      await symlink(name, join(secretDir, '..data_tmp'));
      await rename(join(secretDir, '..data_tmp'), join(secretDir, '..data'));
    };
    await mkdir(secretDir);
    await version('..v1', await ca.issue());
    await symlink('..data/tls.crt', join(secretDir, 'tls.crt'));
    await symlink('..data/tls.key', join(secretDir, 'tls.key'));
    const second = await startWebhookServer({
      kinds: [],
      controllerUsername: CONTROLLER,
      certDir: secretDir,
      port: 0,
      host: '127.0.0.1',
    });
    try {
      const url = `${second.url}/healthz`;
      assert.equal((await get(url, ca.certPem)).status, 200);
      const otherCa = await createWebhookCa('rotated-ca');
      const rotated = await otherCa.issue();
      await version('..v2', rotated);
      await waitFor(
        async () =>
          (await get(url, otherCa.certPem).catch(() => undefined))?.serial ===
          rotated.serialNumber.toUpperCase()
            ? true
            : undefined,
        { deadlineMs: 5_000, description: 'the server to present the certificate from ..v2' },
      );
    } finally {
      await second.close();
    }
  });

  it('keeps serving the current certificate while the files are not a usable pair', async () => {
    const before = await get(healthz(), ca.certPem);
    const stranger = await ca.issue();
    await writeFile(join(certDir, 'tls.key'), stranger.keyPem); // a key that does not match tls.crt
    assert.equal(await running().reloadCertificate(), false);
    assert.equal((await get(healthz(), ca.certPem)).serial, before.serial);
    assert.ok(
      logs.some(
        (line) => line.startsWith('Keeping the current TLS certificate') && line.includes('not a usable'),
      ),
    );
    await writeCertDir(certDir, stranger);
    await waitFor(
      async () =>
        (await get(healthz(), ca.certPem)).serial === stranger.serialNumber.toUpperCase() ? true : undefined,
      {
        deadlineMs: 5_000,
        description: 'the repaired pair to be served',
      },
    );
  });

  it('fails to start with a message naming the missing file', async () => {
    const missing = join(scratch, 'no-such-dir');
    await assert.rejects(
      startWebhookServer({
        kinds: [],
        controllerUsername: CONTROLLER,
        certDir: missing,
        port: 0,
        host: '127.0.0.1',
      }),
      (error: unknown) =>
        error instanceof CertificateFilesError &&
        error.message === `cannot read the TLS certificate ${join(missing, 'tls.crt')} (ENOENT)`,
    );
  });

  it('fails to start with a clear message when the port is taken', async () => {
    await assert.rejects(
      startWebhookServer({
        kinds: [],
        controllerUsername: CONTROLLER,
        certDir,
        port: running().port,
        host: '127.0.0.1',
      }),
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${running().port}: .*EADDRINUSE`),
    );
  });

  it('closes promptly with idle keep-alive connections open, and only once', async () => {
    const extra = await startWebhookServer({
      kinds: [],
      controllerUsername: CONTROLLER,
      certDir,
      port: 0,
      host: '127.0.0.1',
    });
    const agent = new Agent({ keepAlive: true });
    try {
      assert.equal((await get(`${extra.url}/readyz`, ca.certPem, agent)).status, 200);
      const began = Date.now();
      await Promise.all([extra.close(), extra.close()]);
      assert.ok(Date.now() - began < 1_000, `close took ${Date.now() - began} ms`);
      await assert.rejects(get(`${extra.url}/readyz`, ca.certPem), /ECONNREFUSED/);
    } finally {
      agent.destroy();
    }
  });
});
