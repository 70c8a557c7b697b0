import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { webhookProbeAdmission } from '../../../test/fixtures/webhook-probe-admission.js';
import { createRequestListener } from './request-listener.js';
import { buildRoutes } from './routes.js';
import type { LogFields } from './webhook-log.js';

const LIMIT = 64 * 1024;
const SECRET = 'do-not-log-this-token';

function conversionReview(objects: unknown[], uid = 'conv-1'): string {
  return JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'ConversionReview',
    request: { uid, desiredAPIVersion: 'infrastructure.cluster.x-k8s.io/v1beta2', objects },
  });
}

const machine = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'HCloudMachine',
  metadata: { name: 'worker-1', namespace: 'default', annotations: { token: SECRET } },
  spec: { type: 'cpx22', imageName: 'ubuntu-24.04' },
  status: { ready: true },
};

describe('webhook request listener: /convert', () => {
  let server: Server;
  let base = '';
  const logs: { message: string; fields: LogFields | undefined }[] = [];

  before(async () => {
    const listener = createRequestListener({
      routes: buildRoutes([webhookProbeAdmission()]),
      log: (message, fields) => logs.push({ message, fields }),
      maxBodyBytes: LIMIT,
      ready: () => true,
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
    body?: string,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<{ status: number; body: string; headers: IncomingMessage['headers'] }> {
    const request = httpRequest(`${base}/convert`, { method, headers, agent: false });
    const replied = once(request, 'response') as Promise<[IncomingMessage]>;
    request.on('error', () => undefined); // the server may close early (413)
    if (body !== undefined) request.write(body);
    request.end();
    const [response] = await replied;
    let text = '';
    for await (const chunk of response) text += String(chunk);
    return { status: response.statusCode ?? 0, body: text, headers: response.headers };
  }

  it('answers a ConversionReview with the converted objects for its uid', async () => {
    const reply = await send('POST', conversionReview([machine], 'conv-200'));
    assert.equal(reply.status, 200);
    const answer = JSON.parse(reply.body) as {
      kind: string;
      response: { uid: string; result: { status: string }; convertedObjects: Record<string, unknown>[] };
    };
    assert.equal(answer.kind, 'ConversionReview');
    assert.equal(answer.response.uid, 'conv-200');
    assert.deepEqual(answer.response.result, { status: 'Success' });
    assert.deepEqual(answer.response.convertedObjects[0]?.['status'], {
      initialization: { provisioned: true },
    });
  });

  it('answers Failure naming the object it cannot convert', async () => {
    const reply = await send('POST', conversionReview([{ ...machine, kind: 'Cluster' }], 'conv-bad'));
    const answer = JSON.parse(reply.body) as { response: { result: { status: string; message: string } } };
    assert.equal(answer.response.result.status, 'Failure');
    assert.match(
      answer.response.result.message,
      /^objects\[0\] \(Cluster default\/worker-1\): kind "Cluster"/,
    );
    const line = logs.find((entry) => entry.fields?.['uid'] === 'conv-bad');
    assert.equal(line?.message, 'Conversion failed');
  });

  it('refuses what is not a ConversionReview: 405, 415, 400, and 413 over the size limit', async () => {
    assert.equal((await send('GET')).status, 405);
    assert.equal((await send('POST', 'a: b', { 'content-type': 'application/yaml' })).status, 415);
    const malformed = await send(
      'POST',
      '{"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview"}',
    );
    assert.deepEqual(
      [malformed.status, JSON.parse(malformed.body)],
      [400, { code: 400, error: 'request: required object is missing' }],
    );
    const large = conversionReview([{ ...machine, spec: { padding: 'x'.repeat(LIMIT) } }]);
    const tooLarge = await send('POST', large);
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.body, /larger than 65536 bytes/);
    assert.equal((await send('POST', conversionReview([machine]))).status, 200);
  });

  it('logs identifiers and outcomes only, never object contents', async () => {
    await send('POST', conversionReview([machine], 'conv-log'));
    const line = logs.find((entry) => entry.fields?.['uid'] === 'conv-log');
    assert.equal(line?.message, 'Converted objects');
    assert.deepEqual(
      { ...line.fields, durationMs: 0 },
      {
        uid: 'conv-log',
        desiredAPIVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
        count: 1,
        status: 'Success',
        failure: undefined,
        durationMs: 0,
      },
    );
    assert.ok(!JSON.stringify(logs).includes(SECRET), 'a log line carries object contents');
  });
});
