import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { webhookProbeAdmission } from '../../../test/fixtures/webhook-probe-admission.js';
import { createRequestListener } from './request-listener.js';
import { buildRoutes, webhookPath } from './routes.js';
import type { LogFields } from './webhook-log.js';

const SECRET = 'do-not-log-this-token';
const LIMIT = 64 * 1024;
const VALIDATE = webhookPath('validate', 'WebhookProbe');
const MUTATE = webhookPath('mutate', 'WebhookProbe');

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function review(spec: Record<string, unknown>, uid = 'uid-1'): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta1', kind: 'WebhookProbe' },
      name: 'probe-1',
      namespace: 'default',
      operation: 'CREATE',
      object: { metadata: { name: 'probe-1', annotations: { token: SECRET } }, spec },
    },
  });
}

describe('webhook request listener (routing, limits, AdmissionReview I/O)', () => {
  let server: Server;
  let base = '';
  let ready = true;
  const logs: { message: string; fields: LogFields | undefined }[] = [];

  before(async () => {
    const listener = createRequestListener({
      routes: buildRoutes([webhookProbeAdmission()]),
      log: (message, fields) => logs.push({ message, fields }),
      maxBodyBytes: LIMIT,
      ready: () => ready,
      controllerUsername: 'system:serviceaccount:capi-system:imageurl',
    });
    server = createServer(listener).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function send(
    method: string,
    path: string,
    body?: string | string[],
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<Reply> {
    const request = httpRequest(`${base}${path}`, { method, headers, agent: false });
    const replied = once(request, 'response') as Promise<[import('node:http').IncomingMessage]>;
    request.on('error', () => undefined); // the server may close early (413)
    for (const chunk of Array.isArray(body) ? body : body === undefined ? [] : [body]) request.write(chunk);
    request.end();
    const [response] = await replied;
    let text = '';
    for await (const chunk of response) text += String(chunk);
    return { status: response.statusCode ?? 0, headers: response.headers, body: text };
  }

  it('answers /healthz and /readyz, and /readyz with 503 while not ready', async () => {
    assert.equal((await send('GET', '/healthz')).status, 200);
    assert.equal((await send('GET', '/readyz')).status, 200);
    ready = false;
    try {
      assert.equal((await send('GET', '/readyz')).status, 503);
      assert.equal((await send('GET', '/healthz')).status, 200);
    } finally {
      ready = true;
    }
    const post = await send('POST', '/healthz', '{}');
    assert.equal(post.status, 405);
    assert.equal(post.headers['allow'], 'GET, HEAD');
  });

  it('answers 404 with a JSON error for paths of unknown kinds and other paths', async () => {
    for (const path of [webhookPath('validate', 'HCloudMachine'), '/', '/validate']) {
      const reply = await send('POST', path, review({}));
      assert.equal(reply.status, 404, path);
      assert.deepEqual(JSON.parse(reply.body), { code: 404, error: `no webhook is served at ${path}` });
    }
  });

  it('answers 405 for other methods on a webhook path, and 415 for bodies that are not JSON', async () => {
    const get = await send('GET', VALIDATE);
    assert.equal(get.status, 405);
    assert.equal(get.headers['allow'], 'POST');
    const yaml = await send('POST', VALIDATE, 'a: b', { 'content-type': 'application/yaml' });
    assert.equal(yaml.status, 415);
  });

  it('answers 400 with a JSON error naming the problem for a malformed review', async () => {
    const reply = await send(
      'POST',
      VALIDATE,
      '{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}',
    );
    assert.equal(reply.status, 400);
    assert.deepEqual(JSON.parse(reply.body), { code: 400, error: 'request: required object is missing' });
    assert.equal((await send('POST', VALIDATE, 'not json')).status, 400);
  });

  it('answers 413 for a body over the limit, declared or streamed, and keeps serving', async () => {
    const large = 'x'.repeat(LIMIT + 1);
    const declared = await send('POST', VALIDATE, large, {
      'content-type': 'application/json',
      'content-length': String(large.length),
    });
    assert.equal(declared.status, 413);
    assert.match(declared.body, /larger than 65536 bytes/);
    const chunks = Array.from({ length: 20 }, () => 'y'.repeat(8 * 1024));
    const streamed = await send('POST', VALIDATE, chunks, { 'content-type': 'application/json' });
    assert.equal(streamed.status, 413);
    assert.equal(streamed.headers['connection'], 'close');
    assert.equal((await send('POST', VALIDATE, review({ imageURL: 'oci://r/i:1' }))).status, 200);
  });

  it('answers a review with an AdmissionReview for its uid', async () => {
    const reply = await send('POST', VALIDATE, review({ imageURL: 'ftp://nope' }, 'uid-422'));
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'application/json');
    const answer = JSON.parse(reply.body) as {
      response: { uid: string; allowed: boolean; status: { code: number } };
    };
    assert.equal(answer.response.uid, 'uid-422');
    assert.equal(answer.response.allowed, false);
    assert.equal(answer.response.status.code, 422);
    const mutated = JSON.parse((await send('POST', MUTATE, review({ imageURL: 'oci://r/i:1' }))).body) as {
      response: { allowed: boolean; patchType: string };
    };
    assert.deepEqual([mutated.response.allowed, mutated.response.patchType], [true, 'JSONPatch']);
  });

  it('denies, logs and keeps serving when the validator throws', async () => {
    const reply = await send('POST', VALIDATE, review({ imageURL: 'explode' }, 'uid-boom'));
    const answer = JSON.parse(reply.body) as { response: { allowed: boolean; status: { message: string } } };
    assert.equal(answer.response.allowed, false);
    assert.match(answer.response.status.message, /internal error in validation of WebhookProbe "probe-1"/);
    const line = logs.find((entry) => entry.fields?.['uid'] === 'uid-boom');
    assert.equal(line?.message, 'Admission handler failed');
    assert.match(String(line.fields?.['failure']), /^TypeError at /);
    assert.equal((await send('GET', '/healthz')).status, 200);
  });

  it('logs identifiers and outcomes only, never object contents', async () => {
    await send('POST', VALIDATE, review({ imageURL: 'oci://r/i:1' }, 'uid-log'));
    const line = logs.find((entry) => entry.fields?.['uid'] === 'uid-log');
    assert.equal(line?.message, 'Admitted request');
    assert.deepEqual(
      { ...line.fields, durationMs: 0 },
      {
        webhook: 'validate',
        kind: 'WebhookProbe',
        name: 'probe-1',
        namespace: 'default',
        operation: 'CREATE',
        uid: 'uid-log',
        dryRun: false,
        allowed: true,
        code: undefined,
        count: 0,
        failure: undefined,
        durationMs: 0,
      },
    );
    assert.ok(!JSON.stringify(logs).includes(SECRET), 'a log line carries object contents');
    assert.ok(!JSON.stringify(logs).includes('oci://'), 'a log line carries object contents');
  });
});
