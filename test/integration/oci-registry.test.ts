import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, signEs256Jwt } from '../../sim/oci-registry/jwt.js';
import {
  startOciRegistry,
  type OciRegistry,
  type OciRegistryOptions,
  type OciTokenService,
} from '../../sim/oci-registry/registry.js';
import { createSigningIdentity } from '../../sim/oci-registry/signing-identity.js';
import { OciClient, parseChallenge, sha256Digest, type ArtifactSpec } from '../support/oci-client.js';
import { processExists } from '../support/processes.js';

const ARTIFACT: ArtifactSpec = {
  artifactType: 'application/vnd.imageurl.disk-image.v1',
  layers: [
    {
      mediaType: 'application/vnd.imageurl.disk-image.layer.v1.raw+zstd',
      data: randomBytes(64 * 1024),
      annotations: { 'org.opencontainers.image.title': 'disk.img.zst' },
    },
  ],
  annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z', 'io.imageurl.test': 'yes' },
};

function basic(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function requirePid(registry: OciRegistry): number {
  assert.ok(registry.pid !== undefined, 'the registry has a pid');
  return registry.pid;
}

async function pushAndPullBack(client: OciClient, repository: string): Promise<void> {
  const pushed = await client.pushArtifact(repository, 'v1', ARTIFACT);
  const pulled = await client.getManifest(repository, 'v1');
  assert.ok(pulled.bytes.equals(pushed.manifestBytes), 'the manifest comes back byte-identical');
  assert.equal(pulled.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.deepEqual(await client.getManifest(repository, pushed.manifestDigest), pulled);
  const layer = ARTIFACT.layers[0];
  const blob = await client.getBlob(repository, sha256Digest(layer?.data ?? ''));
  assert.equal(blob.status, 200);
  assert.ok(Buffer.from(await blob.arrayBuffer()).equals(Buffer.from(layer?.data ?? '')));
}

/** Starts a registry before the suite's tests and always stops it after them. */
function useRegistry(options: OciRegistryOptions): () => OciRegistry {
  let registry: OciRegistry | undefined;
  before(async () => {
    registry = await startOciRegistry(options);
  });
  after(async () => {
    await registry?.stop();
  });
  return () => {
    assert.ok(registry, 'the registry started');
    return registry;
  };
}

describe('docker-registry with htpasswd auth', () => {
  const password = randomBytes(16).toString('base64url');
  const registry = useRegistry({ auth: 'htpasswd', users: [{ username: 'alice', password }] });
  const client = (): OciClient => new OciClient(registry().url, { username: 'alice', password });

  it('challenges unauthenticated requests with Basic', async () => {
    const response = await fetch(`${registry().url}/v2/`);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"/);
  });

  it('refuses a wrong password and accepts the right one', async () => {
    const wrong = await fetch(`${registry().url}/v2/`, { headers: basic('alice', `${password}x`) });
    assert.equal(wrong.status, 401);
    const right = await fetch(`${registry().url}/v2/`, { headers: basic('alice', password) });
    assert.equal(right.status, 200);
  });

  it('stores an OCI artifact and returns manifest and blobs byte-identical', async () => {
    await pushAndPullBack(client(), 'team/disk-image');
    const { bytes } = await client().getManifest('team/disk-image', 'v1');
    const manifest = JSON.parse(bytes.toString()) as Record<string, unknown>;
    assert.equal(manifest.artifactType, ARTIFACT.artifactType);
    assert.deepEqual(manifest.annotations, ARTIFACT.annotations);
    assert.deepEqual(manifest.config, {
      mediaType: 'application/vnd.oci.empty.v1+json',
      digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      size: 2,
    });
  });

  it('answers a blob Range request with 206 and exactly those bytes', async () => {
    const data = Buffer.from('0123456789abcdef');
    const { digest } = await client().pushBlob('team/ranges', data);
    const response = await client().getBlob('team/ranges', digest, 'bytes=4-9');
    assert.equal(response.status, 206);
    assert.equal(response.headers.get('content-range'), `bytes 4-9/${data.length}`);
    assert.equal(await response.text(), '456789');
  });

  it('keeps the password off the command line and out of the environment', async () => {
    const pid = requirePid(registry());
    const cmdline = (await readFile(`/proc/${pid}/cmdline`)).toString().split('\0');
    assert.equal(cmdline[1], 'serve');
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8');
    for (const text of [cmdline.join(' '), environ]) assert.ok(!text.includes(password));
  });

  it('writes credentials and config only readable by us, with bcrypt hashes', async () => {
    const { directory } = registry();
    for (const file of ['htpasswd', 'config.yml']) {
      assert.equal((await stat(join(directory, file))).mode & 0o777, 0o600, file);
    }
    const htpasswd = await readFile(join(directory, 'htpasswd'), 'utf8');
    assert.match(htpasswd, /^alice:\$2y\$/);
    assert.ok(!htpasswd.includes(password));
  });
});

describe('docker-registry with token auth', () => {
  const writer = { username: 'writer', password: randomBytes(16).toString('base64url') };
  const reader = {
    username: 'reader',
    password: randomBytes(16).toString('base64url'),
    actions: ['pull'] as const,
  };
  const registry = useRegistry({ auth: 'token', users: [writer, reader], storage: 'inmemory' });
  const tokenService = (): OciTokenService => {
    const service = registry().token;
    assert.ok(service, 'token auth has a token service');
    return service;
  };

  async function challenge(): Promise<ReturnType<typeof parseChallenge>> {
    const response = await fetch(`${registry().url}/v2/team/app/manifests/v1`);
    assert.equal(response.status, 401);
    return parseChallenge(response.headers.get('www-authenticate'));
  }

  async function writerToken(): Promise<string> {
    const parsed = await challenge();
    assert.ok(parsed);
    const response = await new OciClient(registry().url, writer).fetchToken(parsed);
    return ((await response.json()) as { token: string }).token;
  }

  it('challenges with Bearer realm and service of our token server', async () => {
    const parsed = await challenge();
    assert.equal(parsed?.scheme, 'Bearer');
    assert.equal(parsed.params.realm, tokenService().realm);
    assert.equal(parsed.params.service, tokenService().service);
    assert.equal(parsed.params.scope, 'repository:team/app:pull');
  });

  it('gives no token for a bad password, nor to anonymous requests', async () => {
    const parsed = await challenge();
    assert.ok(parsed);
    for (const client of [
      new OciClient(registry().url, { ...writer, password: 'wrong' }),
      new OciClient(''),
    ]) {
      const response = await client.fetchToken(parsed);
      assert.equal(response.status, 401);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.token, undefined);
    }
  });

  it('lets a user with push rights push and pull through the token flow', async () => {
    const before = tokenService().issuedTokens;
    await pushAndPullBack(new OciClient(registry().url, writer), 'team/app');
    assert.ok(tokenService().issuedTokens > before, 'tokens were issued');
  });

  it('grants a pull-only user pull and nothing else', async () => {
    const client = new OciClient(registry().url, reader);
    const parsed = await challenge();
    assert.ok(parsed);
    const response = await client.fetchToken(parsed, 'repository:team/app:pull,push,*');
    const { token } = (await response.json()) as { token: string };
    const { claims } = decodeJwt(token) as { claims: Record<string, unknown> };
    assert.deepEqual(claims.access, [{ type: 'repository', name: 'team/app', actions: ['pull'] }]);
    assert.equal(claims.sub, 'reader');
    assert.equal(claims.aud, tokenService().service);
    await pushAndPullBack(new OciClient(registry().url, writer), 'team/shared');
    assert.equal(
      (await client.getManifest('team/shared', 'v1')).mediaType,
      'application/vnd.oci.image.manifest.v1+json',
    );
  });

  it('rejects a token signed by a key it does not trust', async () => {
    const forger = await createSigningIdentity({ commonName: 'forger' });
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: tokenService().issuer,
      aud: tokenService().service,
      sub: 'writer',
      exp: now + 300,
      nbf: now,
      iat: now,
      jti: 'forged',
      access: [{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }],
    };
    const forged = signEs256Jwt(claims, forger.privateKey, [forger.certificateDer]);
    const response = await fetch(`${registry().url}/v2/team/app/tags/list`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    assert.equal(response.status, 401);
    const genuine = await fetch(`${registry().url}/v2/team/app/tags/list`, {
      headers: { authorization: `Bearer ${await writerToken()}` },
    });
    assert.equal(genuine.status, 200);
  });

  it('refuses pushes by a pull-only user', async () => {
    const client = new OciClient(registry().url, reader);
    const upload = await client.request('POST', '/v2/team/app/blobs/uploads/');
    assert.ok([401, 403].includes(upload.status), `status ${upload.status}`);
    assert.match(upload.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    await assert.rejects(client.pushManifest('team/app', 'v2', Buffer.from('{}')), /HTTP 40[13]/);
  });
});

describe('docker-registry with token auth and anonymous pull', () => {
  const registry = useRegistry({ auth: 'token', anonymousPull: true, storage: 'inmemory' });

  it('lets anonymous clients pull what a user pushed, but not push', async () => {
    const user = registry().users[0];
    assert.ok(user);
    await pushAndPullBack(new OciClient(registry().url, user), 'public/app');
    const anonymous = new OciClient(registry().url);
    assert.equal(
      (await anonymous.getManifest('public/app', 'v1')).mediaType,
      'application/vnd.oci.image.manifest.v1+json',
    );
    const upload = await anonymous.request('POST', '/v2/public/app/blobs/uploads/');
    assert.ok([401, 403].includes(upload.status), `status ${upload.status}`);
  });
});

describe('docker-registry lifecycle', () => {
  let parentDir = '';
  const started: OciRegistry[] = [];

  before(async () => {
    parentDir = await mkdtemp(join(tmpdir(), 'imageurl-oci-test-'));
  });
  after(async () => {
    for (const registry of started) await registry.stop();
    await rm(parentDir, { recursive: true, force: true });
  });

  it('stops the registry process and removes its directory, idempotently', async () => {
    const registry = await startOciRegistry({ auth: 'none', parentDir });
    started.push(registry);
    assert.equal((await fetch(`${registry.url}/v2/`)).status, 200);
    const pid = requirePid(registry);
    assert.ok(processExists(pid));
    assert.ok(await exists(registry.directory));
    await registry.stop();
    assert.equal(processExists(pid), false, `pid ${pid} is gone`);
    assert.equal(await exists(registry.directory), false);
    await registry.stop();
  });

  it('cleans up everything when the registry fails to start', async () => {
    const failing = startOciRegistry({ auth: 'token', parentDir, registryCommand: '/bin/false' });
    await assert.rejects(failing, /docker-registry exited \(code 1\) before it was ready/);
    assert.deepEqual(await readdir(parentDir), []);
  });

  it('rejects bad options before starting anything', async () => {
    await assert.rejects(
      startOciRegistry({ auth: 'htpasswd', parentDir, users: [{ username: 'bad name', password: 'x' }] }),
      /users\[0\]\.username "bad name" is not allowed/,
    );
    assert.deepEqual(await readdir(parentDir), []);
  });
});
