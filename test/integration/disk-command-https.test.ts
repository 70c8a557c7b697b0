import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { buildTestImage, type BuiltTestImage } from '../../sim/os-image/build-image.js';
import { diskMatchesImage, rescueForCommand, type RescueForCommand } from '../support/disk-command-rescue.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';

const MiB = 1024 * 1024;

describe('image-url-command-https-disk in a rescue system, against an HTTPS server', () => {
  let scratch = '';
  let image: BuiltTestImage;
  let compressed: Buffer;
  let server: Server;
  let base = '';
  let rescue: RescueForCommand;
  const authorizations: (string | undefined)[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-https-disk-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    image = await buildTestImage({
      path: join(scratch, 'node.img'),
      payloadBytes: 4 * MiB,
      defaultHostname: 'node',
    });
    compressed = (
      await promisify(execFile)('zstd', ['-q', '-c', image.path], { encoding: 'buffer', maxBuffer: 64 * MiB })
    ).stdout;
    const { ca, serving } = await createCertDir(join(scratch, 'certs'));
    const files: Record<string, Buffer | string> = {
      '/images/node.img.zst': compressed,
      '/images/node.img.zst.sha256': `${sha(compressed)}  node.img.zst\n`,
      '/images/plain.img.zst': compressed,
    };
    server = createServer({ cert: serving.certPem, key: serving.keyPem }, (request, response) => {
      authorizations.push(request.headers.authorization);
      const file = files[new URL(request.url ?? '/', 'https://x').pathname];
      response.writeHead(file === undefined ? 404 : 200).end(file);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/images`;
    rescue = await rescueForCommand(scratch, 'https-disk');
    cleanups.push(() => rescue.close());
    await rescue.put('/root/ca.pem', ca.certPem);
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  // The registry token is set as the controller sets it; it must never reach an https image host.
  const install = (url: string): ReturnType<RescueForCommand['run']> =>
    rescue.run(url, { OCI_REGISTRY_AUTH_TOKEN: 'robot:registry-S3CRET', CURL_CA_BUNDLE: '/root/ca.pem' });

  for (const [how, url] of [
    ['a ?sha256= query parameter', (): string => `${base}/plain.img.zst?sha256=${sha(compressed)}`],
    ['a #sha256= fragment', (): string => `${base}/plain.img.zst#sha256=${sha(compressed)}`],
    ['a .sha256 file beside the image', (): string => `${base}/node.img.zst`],
  ] as const) {
    it(`installs an image verified by ${how}`, async () => {
      const result = await install(url());
      assert.equal(result.exitCode, '0', result.lines.join('\n'));
      assert.equal(result.lines.at(-1), 'IMAGE_URL_DONE');
      assert.ok(await diskMatchesImage(rescue.host.disks.imagePath('sda'), image));
    });
  }

  it('refuses an image without a checksum, before touching the disk', async () => {
    const result = await install(`${base}/plain.img.zst`);
    assert.equal(result.exitCode, '1');
    assert.match(
      result.lines.at(-1) ?? '',
      /failed: no sha256 for https:\/\/.*plain\.img\.zst: add \?sha256=HEX or #sha256=HEX/,
    );
    assert.match(result.message, /^failed: no sha256/);
  });

  it('installs without a checksum only when the URL says #unverified', async () => {
    const result = await install(`${base}/plain.img.zst#unverified`);
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
  });

  it('fails closed when the checksum does not match', async () => {
    const result = await install(`${base}/plain.img.zst?sha256=${'0'.repeat(64)}`);
    assert.equal(result.exitCode, '1');
    assert.match(result.lines.at(-1) ?? '', /failed: layer digest mismatch/);
    const start = (await readFile(rescue.host.disks.imagePath('sda'))).subarray(0, MiB);
    assert.ok(start.every((byte) => byte === 0));
  });

  it('never sends the registry token to an https image host', () => {
    assert.ok(authorizations.length > 0);
    assert.deepEqual(
      authorizations.filter((header) => header !== undefined),
      [],
    );
  });
});
