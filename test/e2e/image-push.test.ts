import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startOciRegistry, type OciRegistry } from '../../sim/oci-registry/index.js';
import { OciClient } from '../support/oci-client.js';
import { runCommand } from '../support/run-command.js';

const bin = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));
const MiB = 1024 * 1024;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function imageurl(args: string[], token?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env = { ...process.env, OCI_REGISTRY_AUTH_TOKEN: token ?? '', ...extraEnv };
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

const sha256 = (data: Uint8Array): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

interface Manifest {
  artifactType: string;
  config: { mediaType: string };
  layers: { mediaType: string; digest: string; size: number; annotations: Record<string, string> }[];
}

describe('imageurl image push', () => {
  let dir = '';
  let disk: Buffer;
  const registries: OciRegistry[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imageurl-push-'));
    // A disk as images are: mostly zeros with some data, so compression matters.
    disk = Buffer.alloc(16 * MiB);
    randomBytes(2 * MiB).copy(disk, 1 * MiB);
    await writeFile(join(dir, 'disk.img'), disk);
  });

  after(async () => {
    for (const registry of registries) await registry.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function registry(auth: 'htpasswd' | 'token'): Promise<OciRegistry> {
    const started = await startOciRegistry({ auth });
    registries.push(started);
    return started;
  }

  async function pulledDisk(
    client: OciClient,
    repository: string,
    tag: string,
  ): Promise<{ manifest: Manifest; disk: Buffer; blob: Buffer }> {
    const manifest = JSON.parse((await client.getManifest(repository, tag)).bytes.toString()) as Manifest;
    const layer = manifest.layers[0];
    assert.ok(layer);
    const blob = Buffer.from(await (await client.getBlob(repository, layer.digest)).arrayBuffer());
    const zstd = promisify(execFile);
    const blobFile = join(dir, `${tag}.zst`);
    await writeFile(blobFile, blob);
    await zstd('zstd', ['-d', '-q', '-f', blobFile, '-o', join(dir, `${tag}.raw`)]);
    return { manifest, disk: await readFile(join(dir, `${tag}.raw`)), blob };
  }

  for (const auth of ['htpasswd', 'token'] as const) {
    it(`pushes a zstd-compressed disk artifact that pulls back byte-identical (${auth} auth)`, async () => {
      const target = await registry(auth);
      const [user] = target.users;
      assert.ok(user);
      const run = await imageurl(
        ['image', 'push', join(dir, 'disk.img'), `oci://${target.host}/images/node:v1`],
        `${user.username}:${user.password}`,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.match(
        run.stdout,
        new RegExp(`^pushed oci://${target.host}/images/node:v1@sha256:[0-9a-f]{64}$`, 'm'),
      );
      assert.match(run.stderr, /compressing and uploading: 100% \(16\.0 of 16\.0 MiB/);

      const pulled = await pulledDisk(new OciClient(target.url, user), 'images/node', 'v1');
      assert.equal(pulled.manifest.artifactType, 'application/vnd.imageurl.disk.v1');
      assert.equal(pulled.manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
      const [layer] = pulled.manifest.layers;
      assert.ok(layer, 'the manifest has a layer');
      assert.equal(layer.mediaType, 'application/vnd.imageurl.disk.v1.raw+zstd');
      assert.equal(layer.digest, sha256(pulled.blob));
      assert.equal(layer.annotations['io.imageurl.disk.uncompressed-size'], String(disk.length));
      assert.equal(layer.annotations['io.imageurl.disk.uncompressed-digest'], sha256(disk));
      assert.ok(
        pulled.blob.length < disk.length / 4,
        `a mostly empty disk compresses well (${pulled.blob.length} bytes)`,
      );
      assert.ok(pulled.disk.equals(disk), 'the decompressed layer differs from the disk');
    });
  }

  it('fails clearly on wrong credentials without echoing the password', async () => {
    const target = await registry('htpasswd');
    const run = await imageurl(
      ['image', 'push', join(dir, 'disk.img'), `oci://${target.host}/images/node:v1`],
      'imageurl:wrong-S3CRET',
    );
    assert.equal(run.code, 1);
    assert.match(run.stderr, /the registry refused the credentials \(HTTP 401/);
    assert.doesNotMatch(run.stderr + run.stdout, /wrong-S3CRET/);
  });

  it('checks the registry and the credentials before reading or compressing the disk', async () => {
    // A zstd that notes each start, ahead of the real one on PATH.
    const wrapped = join(dir, 'zstd-wrapper');
    const marker = join(dir, 'zstd-started');
    await mkdir(wrapped, { recursive: true });
    await writeFile(
      join(wrapped, 'zstd'),
      `#!/bin/sh\necho started >> "$ZSTD_MARKER"\nexec ${realZstd()} "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const env = { PATH: `${wrapped}:${process.env['PATH'] ?? ''}`, ZSTD_MARKER: marker };
    const target = await registry('htpasswd');
    const refused = await imageurl(
      ['image', 'push', join(dir, 'disk.img'), `oci://${target.host}/images/node:v1`],
      'imageurl:wrong-S3CRET',
      env,
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /the registry refused the credentials/);
    const unreachable = await imageurl(
      ['image', 'push', join(dir, 'disk.img'), 'oci://127.0.0.1:1/images/node:v1'],
      undefined,
      env,
    );
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /cannot reach the registry at http:\/\/127\.0\.0\.1:1/);
    for (const run of [refused, unreachable]) assert.doesNotMatch(run.stderr, /compressing/);
    assert.equal(existsSync(marker), false, 'zstd ran before the registry was checked');
  });

  it('prints no progress after a fatal error, and the error on a line of its own (terminal)', async () => {
    const registry = await failingUploadRegistry();
    try {
      const reference = `oci://127.0.0.1:${registry.port}/images/node:v1`;
      const command = [process.execPath, bin, 'image', 'push', join(dir, 'disk.img'), reference];
      // script(1) gives the command a terminal, where progress rewrites one line.
      const run = await runCommand('script', ['-qec', command.map(shellQuoted).join(' '), '/dev/null'], {
        env: { ...process.env, OCI_REGISTRY_AUTH_TOKEN: '' },
        timeoutMs: 120_000,
      });
      assert.equal(run.code, 1, run.stdout);
      const at = run.stdout.indexOf('imageurl: ');
      assert.ok(at > 0, run.stdout);
      assert.match(
        run.stdout.slice(0, at),
        /compressing and uploading: \d+%.*\n$/s,
        'progress, then a new line',
      );
      assert.match(run.stdout.slice(at), /disk full/);
      assert.doesNotMatch(run.stdout.slice(at), /compressing/, 'progress after the error');
    } finally {
      await registry.close();
    }
  });

  it('asks for OCI_REGISTRY_AUTH_TOKEN when the registry needs credentials', async () => {
    const target = await registry('htpasswd');
    const run = await imageurl([
      'image',
      'push',
      join(dir, 'disk.img'),
      `oci://${target.host}/images/node:v1`,
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /the registry requires credentials; set OCI_REGISTRY_AUTH_TOKEN/);
  });

  it('rejects a bad reference naming the value and the allowed forms', async () => {
    const run = await imageurl(['image', 'push', join(dir, 'disk.img'), 'docker.io/library/ubuntu']);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /image reference "docker\.io\/library\/ubuntu": must start with oci:\/\/; want oci:\/\/REGISTRY\/REPOSITORY:TAG/,
    );
  });

  it('rejects a missing disk file', async () => {
    const run = await imageurl([
      'image',
      'push',
      join(dir, 'missing.img'),
      'oci://127.0.0.1:1/images/node:v1',
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot read disk image .*missing\.img: no such file/);
  });
});

/** The zstd on PATH, for a wrapper to hand over to. */
function realZstd(): string {
  const found = (process.env['PATH'] ?? '')
    .split(':')
    .map((folder) => join(folder, 'zstd'))
    .find((path) => existsSync(path));
  assert.ok(found, 'zstd is on PATH');
  return found;
}

/** One argument for script(1)'s shell; test paths only, so a quote in one is a test bug. */
function shellQuoted(argument: string): string {
  assert.ok(!argument.includes("'"), argument);
  return `'${argument}'`;
}

/**
 * A registry that opens upload sessions but fails the upload itself once the first bytes
 * arrive, as one whose disk is full does: a fatal error in the middle of compressing.
 */
async function failingUploadRegistry(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method === 'POST') {
      response.writeHead(202, { location: '/v2/images/node/blobs/uploads/1' }).end();
      return;
    }
    if (request.method === 'PATCH') {
      request.once('data', () => {
        const body = { errors: [{ code: 'BLOB_UPLOAD_INVALID', message: 'disk full' }] };
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
      request.resume();
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
