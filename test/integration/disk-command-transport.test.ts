import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { buildTestImage, type BuiltTestImage } from '../../sim/os-image/build-image.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import { diskMatchesImage, rescueForCommand, type RescueForCommand } from '../support/disk-command-rescue.js';

const MiB = 1024 * 1024;
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

interface Seen {
  readonly path: string;
  readonly authorization: string | undefined;
}

/** A server that records what reached it and answers from `answer`. */
async function listen(server: Server, host: string, seen: Seen[], answer: RequestListener): Promise<string> {
  server.on('request', (request, response) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    answer(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `${host}:${(server.address() as AddressInfo).port}`;
}

// How the reference command treats the hosts it talks to: plain HTTP only on this machine, no
// protocol downgrade on redirects, URLs taken literally, credentials and signatures never shown.
describe('image-url-command-disk transports', () => {
  let scratch = '';
  let image: BuiltTestImage;
  let compressed: Buffer;
  let rescue: RescueForCommand;
  let httpsBase = '';
  let plainHost = '';
  let registryHost = '';
  const plainSeen: Seen[] = [];
  const blobSeen: Seen[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const close = (server: Server) => (): Promise<void> =>
    new Promise((resolve) => server.close(() => resolve()));

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-disk-transport-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    image = await buildTestImage({ path: join(scratch, 'node.img'), payloadBytes: 2 * MiB });
    compressed = (
      await promisify(execFile)('zstd', ['-q', '-c', image.path], { encoding: 'buffer', maxBuffer: 64 * MiB })
    ).stdout;
    const plain = createHttpServer();
    cleanups.push(close(plain));
    plainHost = await listen(plain, '127.0.0.1', plainSeen, (_request, response) => {
      response.writeHead(200).end(compressed);
    });
    const { ca, serving } = await createCertDir(join(scratch, 'certs'));
    const https = createHttpsServer({ cert: serving.certPem, key: serving.keyPem });
    cleanups.push(close(https));
    const files: Record<string, Buffer | string> = {
      '/images/node[1].img.zst': compressed,
      '/images/plain.img.zst': compressed,
      '/images/side.img.zst': compressed,
    };
    httpsBase = `https://${await listen(https, '127.0.0.1', [], (request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'https://x').pathname);
      if (path.startsWith('/images/redirect') || path === '/images/side.img.zst.sha256') {
        const target = path.endsWith('.sha256') ? 'side.img.zst.sha256' : 'plain.img.zst';
        response.writeHead(302, { location: `http://${plainHost}/images/${target}` }).end();
        return;
      }
      const file = files[path];
      response.writeHead(file === undefined ? 404 : 200).end(file);
    })}/images`;
    registryHost = await startRedirectingRegistry(compressed, blobSeen, cleanups);
    rescue = await rescueForCommand(scratch, 'disk-transport');
    cleanups.push(() => rescue.close());
    await rescue.put('/root/ca.pem', ca.certPem);
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const install = (url: string, token = 'robot:registry-S3CRET'): ReturnType<RescueForCommand['run']> =>
    rescue.run(url, { OCI_REGISTRY_AUTH_TOKEN: token, CURL_CA_BUNDLE: '/root/ca.pem' });

  it('speaks https to a registry whose name merely starts with 127', async () => {
    const result = await install('oci://127.mirror.example.com/images/node:zstd');
    assert.equal(result.exitCode, '1');
    assert.equal(
      result.lines.at(-1),
      'image-url-command-disk: failed: cannot reach the registry at https://127.mirror.example.com',
    );
  });

  it('refuses a token realm that is not https before sending it the credentials', async () => {
    const seen: Seen[] = [];
    const registry = createHttpServer();
    cleanups.push(close(registry));
    const host = await listen(registry, '127.0.0.1', seen, (_request, response) => {
      const challenge = 'Bearer realm="http://tokens.example.com/token",service="registry"';
      response.writeHead(401, { 'www-authenticate': challenge }).end();
    });
    const result = await install(`oci://${host}/images/node:zstd`);
    assert.equal(result.exitCode, '1');
    assert.equal(
      result.lines.at(-1),
      "image-url-command-disk: failed: the registry's token realm must be an https URL, got http://tokens.example.com/token",
    );
    assert.deepEqual(
      seen.map((request) => request.authorization),
      [undefined],
    );
  });

  it('never follows a redirect from https to plain HTTP, for the image or its checksum', async () => {
    plainSeen.length = 0;
    const image = await install(`${httpsBase}/redirect.img.zst?sha256=${sha(compressed)}`);
    assert.equal(image.exitCode, '1');
    assert.match(image.lines.at(-1) ?? '', /failed: downloading the layer failed/);
    const sidecar = await install(`${httpsBase}/side.img.zst`);
    assert.equal(sidecar.exitCode, '1');
    assert.match(sidecar.lines.at(-1) ?? '', /failed: no sha256 for https:\/\/.*\/side\.img\.zst/);
    assert.deepEqual(plainSeen, [], 'nothing reached the plain-HTTP host');
  });

  it("takes brackets in an image URL literally instead of as curl's ranges", async () => {
    const result = await install(`${httpsBase}/node[1].img.zst?sha256=${sha(compressed)}`);
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
    assert.ok(await diskMatchesImage(rescue.host.disks.imagePath('sda'), image));
  });

  it("never shows a presigned URL's signature or a URL's password", async () => {
    const port = new URL(httpsBase).port;
    const url = `https://reader:PASSW0RD@127.0.0.1:${port}/images/plain.img.zst?X-Amz-Signature=S1GNATURE&sha256=${sha(compressed)}`;
    const result = await install(url);
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
    const shown = [...result.lines, result.message].join('\n');
    assert.ok(!/S1GNATURE|PASSW0RD/.test(shown), shown);
    assert.match(
      shown,
      /https:\/\/REDACTED@127\.0\.0\.1:\d+\/images\/plain\.img\.zst\?X-Amz-Signature=REDACTED&sha256=/,
    );
  });

  it("keeps registry credentials from the host a registry's blob redirect leads to", async () => {
    const result = await install(`oci://${registryHost}/images/node:zstd`, 'puller:pull-S3CRET');
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
    assert.ok(blobSeen.length > 0, 'the blob came from the redirect target');
    assert.deepEqual(
      blobSeen.map((request) => request.authorization),
      blobSeen.map(() => undefined),
    );
  });
});

/**
 * A registry on 127.0.0.1 that wants Basic credentials and redirects its blob to a second host
 * (127.0.0.2), as registries hand downloads to object storage.
 */
async function startRedirectingRegistry(
  blob: Buffer,
  blobSeen: Seen[],
  cleanups: (() => Promise<void>)[],
): Promise<string> {
  const storage = createHttpServer();
  cleanups.push(() => new Promise((resolve) => storage.close(() => resolve())));
  const storageHost = await listen(storage, '127.0.0.2', blobSeen, (_request, response) => {
    response.writeHead(200).end(blob);
  });
  const digest = `sha256:${sha(blob)}`;
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    layers: [{ mediaType: 'application/vnd.imageurl.disk.v1.raw+zstd', digest, size: blob.length }],
  });
  const registry = createHttpServer();
  cleanups.push(() => new Promise((resolve) => registry.close(() => resolve())));
  const expected = `Basic ${Buffer.from('puller:pull-S3CRET').toString('base64')}`;
  return listen(registry, '127.0.0.1', [], (request, response) => {
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end();
    } else if (request.url?.includes('/manifests/')) {
      response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(manifest);
    } else if (request.url?.includes('/blobs/')) {
      response.writeHead(307, { location: `http://${storageHost}/blob` }).end();
    } else {
      response.writeHead(200).end('{}');
    }
  });
}
