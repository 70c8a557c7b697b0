import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startOciRegistry, type OciRegistry } from '../../sim/oci-registry/index.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { findOsTarget, osSystemFiles } from '../../sim/machine/boot-target.js';
import { buildTestImage, type BuiltTestImage } from '../../sim/os-image/build-image.js';
import { parseImageReference } from '../../src/oci/image-reference.js';
import { pushDiskImage } from '../../src/oci/push-disk-image.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { OciClient } from '../support/oci-client.js';
import { connectSsh } from '../support/ssh-session.js';
import {
  BOOTSTRAP,
  diskMatchesImage,
  rescueForCommand,
  type RescueForCommand,
} from '../support/disk-command-rescue.js';

const MiB = 1024 * 1024;
const run = promisify(execFile);

describe('image-url-command-oci-disk in a rescue system, against a real registry', () => {
  let scratch = '';
  let registry: OciRegistry;
  let proxy: FaultProxy;
  let rescue: RescueForCommand;
  let image: BuiltTestImage;
  let token = '';
  /** The test image lets this key log in to the installed OS (test images only). */
  const osKey = generateSshKeyPair('os-admin');
  /** Undo steps for what before() created, run in reverse even when before() failed halfway. */
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-oci-disk-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    registry = await startOciRegistry({ auth: 'token' });
    cleanups.push(() => registry.stop());
    proxy = await startFaultProxy(registry.url);
    cleanups.push(() => proxy.close());
    const user = registry.users[0];
    assert.ok(user);
    token = `${user.username}:${user.password}`;
    image = await buildTestImage({
      path: join(scratch, 'node.img'),
      payloadBytes: 6 * MiB,
      defaultHostname: 'node',
      authorizedKeys: [osKey.publicKey],
    });
    const target = parseImageReference(`oci://${registry.host}/images/node:zstd`);
    await pushDiskImage({
      file: image.path,
      target,
      client: new RegistryClient(registry.url, target.repository, { kind: 'basic', ...user }),
    });
    await pushVariants(new OciClient(registry.url, user), image.path);
    const big = await buildTestImage({ path: join(scratch, 'big.img'), payloadBytes: 40 * MiB });
    const bigTarget = parseImageReference(`oci://${registry.host}/images/node:big`);
    await pushDiskImage({
      file: big.path,
      target: bigTarget,
      client: new RegistryClient(registry.url, bigTarget.repository, { kind: 'basic', ...user }),
    });
    rescue = await rescueForCommand(scratch, 'oci-disk', 64 * MiB);
    cleanups.push(() => rescue.close());
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const install = (
    tag: string,
    credentials = token,
    registryHost = registry.host,
  ): ReturnType<RescueForCommand['run']> =>
    rescue.run(`oci://${registryHost}/images/node:${tag}`, { OCI_REGISTRY_AUTH_TOKEN: credentials });

  for (const tag of ['zstd', 'xz', 'gzip', 'raw']) {
    it(`writes the ${tag} image to /dev/sda, places the bootstrap data and ends with IMAGE_URL_DONE`, async () => {
      const result = await install(tag);
      assert.equal(result.exitCode, '0', result.lines.join('\n'));
      assert.equal(result.lines.at(-1), 'IMAGE_URL_DONE');
      assert.match(result.message, /^installed oci:\/\//);
      assert.ok(
        await diskMatchesImage(rescue.host.disks.imagePath('sda'), image),
        'the disk differs from the image',
      );
    });
  }

  it('fails with a clear last line and no marker on wrong credentials, never printing them', async () => {
    const result = await install('zstd', 'imageurl:wrong-S3CRET');
    assert.equal(result.exitCode, '1');
    assert.match(result.lines.at(-1) ?? '', /failed: the registry's token service refused the credentials/);
    assert.match(result.message, /^failed: /);
    assert.ok(!result.lines.some((line) => line.includes('IMAGE_URL_DONE')));
    assert.ok(!result.lines.some((line) => line.includes('wrong-S3CRET')));
  });

  it('resumes a download cut mid-stream with an HTTP Range request and succeeds', async () => {
    proxy.fault = 'cut-once';
    proxy.blobRequests.length = 0;
    const result = await install('raw', token, proxy.host);
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
    // The second request continues where the client's bytes stopped (at most the 1 MiB sent).
    const [first, second, ...more] = proxy.blobRequests;
    assert.equal(first, 'bytes=0-');
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(second ?? '')?.[1]);
    assert.ok(resumedAt > 0 && resumedAt <= MiB, `resumed at ${second ?? 'nothing'}`);
    assert.deepEqual(more, []);
    assert.ok(await diskMatchesImage(rescue.host.disks.imagePath('sda'), image));
  });

  it('fails closed on a corrupted download and wipes the start of the disk', async () => {
    proxy.fault = 'corrupt';
    const result = await install('raw', token, proxy.host);
    proxy.fault = 'none';
    assert.equal(result.exitCode, '1');
    assert.match(
      result.lines.at(-1) ?? '',
      /failed: layer digest mismatch: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}/,
    );
    const start = (await readFile(rescue.host.disks.imagePath('sda'))).subarray(0, MiB);
    assert.ok(
      start.every((byte) => byte === 0),
      'the first MiB of the disk is zeroed so the broken image cannot boot',
    );
  });

  it('fails closed when the source never delivers the whole blob, after a bounded number of resumes', async () => {
    proxy.fault = 'truncate';
    proxy.blobRequests.length = 0;
    const result = await install('raw', token, proxy.host);
    proxy.fault = 'none';
    assert.equal(result.exitCode, '1');
    assert.match(
      result.lines.at(-1) ?? '',
      /failed: the download broke off 6 times \(0 of them stalled, no byte for 30 s\); giving up at byte \d+ after 5 resumes/,
    );
    assert.equal(proxy.blobRequests.length, 6, 'one request and five resumes');
    assert.ok(!result.lines.some((line) => line.includes('IMAGE_URL_DONE')));
    const start = (await readFile(rescue.host.disks.imagePath('sda'))).subarray(0, MiB);
    assert.ok(
      start.every((byte) => byte === 0),
      'the first MiB of the disk is zeroed so the partial image cannot boot',
    );
  });

  it('cuts a download that stops sending mid-blob after IMAGEURL_STALL_SECONDS, resumes it with Range and installs', async () => {
    proxy.fault = 'stall-once';
    proxy.blobRequests.length = 0;
    const result = await rescue.run(`oci://${proxy.host}/images/node:raw`, {
      OCI_REGISTRY_AUTH_TOKEN: token,
      IMAGEURL_STALL_SECONDS: '2',
    });
    proxy.fault = 'none';
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
    const [first, second, ...more] = proxy.blobRequests;
    assert.equal(first, 'bytes=0-');
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(second ?? '')?.[1]);
    assert.ok(resumedAt > 0 && resumedAt <= MiB, `resumed at ${second ?? 'nothing'}`);
    assert.deepEqual(more, []);
    const text = result.lines.join('\n');
    assert.match(
      text,
      /download stalled \(no byte for 2 s\) at byte \d+; resuming \(1 of 5 resumes, 1 stalls\)/,
    );
    assert.match(text, /downloaded \d+ bytes with 1 resumes \(1 after stalls\)/);
    assert.match(result.message, /^installed oci:\/\/.* \(downloaded \d+ bytes, 1 resumes, 1 stalls\)$/);
    assert.ok(await diskMatchesImage(rescue.host.disks.imagePath('sda'), image));
  });

  it('fails closed when every try stalls, after the resume budget, saying so', async () => {
    proxy.fault = 'stall';
    proxy.blobRequests.length = 0;
    const result = await rescue.run(`oci://${proxy.host}/images/node:raw`, {
      OCI_REGISTRY_AUTH_TOKEN: token,
      IMAGEURL_STALL_SECONDS: '1',
    });
    proxy.fault = 'none';
    assert.equal(result.exitCode, '1');
    assert.match(
      result.lines.at(-1) ?? '',
      /failed: the download broke off 6 times \(6 of them stalled, no byte for 1 s\); giving up at byte \d+ after 5 resumes/,
    );
    assert.equal(proxy.blobRequests.length, 6, 'one request and five resumes');
    assert.ok(!result.lines.some((line) => line.includes('IMAGE_URL_DONE')));
    const start = (await readFile(rescue.host.disks.imagePath('sda'))).subarray(0, MiB);
    assert.ok(
      start.every((byte) => byte === 0),
      'the first MiB of the disk is zeroed',
    );
  });

  it('refuses an IMAGEURL_STALL_SECONDS that is no number of seconds, before touching the disk', async () => {
    const result = await rescue.run(`oci://${registry.host}/images/node:raw`, {
      OCI_REGISTRY_AUTH_TOKEN: token,
      IMAGEURL_STALL_SECONDS: '0',
    });
    assert.equal(result.exitCode, '1');
    assert.match(
      result.lines.at(-1) ?? '',
      /failed: IMAGEURL_STALL_SECONDS must be a whole number of seconds from 1 to 3600, got 0/,
    );
  });

  it("never stages the image in the rescue system's RAM disks (/tmp, /root, /run)", async () => {
    // A sampler inside the rescue system records their use every 50 ms while the command runs.
    const usage = "df --output=used -B1 /tmp /root /run | awk 'NR>1 {s+=$1} END {print s}'";
    const before = Number(await rescue.shell(usage));
    await rescue.shell(
      `rm -f /root/usage /root/stop; setsid sh -c 'while [ ! -e /root/stop ]; do ${usage.replace(/'/g, "'\\''")} >> /root/usage; sleep 0.05; done' </dev/null >/dev/null 2>&1 &`,
    );
    const result = await install('big');
    await rescue.shell('touch /root/stop');
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
    const samples = (await rescue.shell('cat /root/usage')).trim().split('\n').map(Number);
    const peak = Math.max(...samples) - before;
    assert.ok(samples.length >= 5, `only ${samples.length} samples`);
    assert.ok(peak < 4 * MiB, `the RAM disks grew by ${peak} bytes while a 40 MiB image was installed`);
  });

  it('finds the root device by its WWN (deviceStringType: wwn) and refuses an unknown one', async () => {
    const wwn = rescue.host.disks.specs[0]?.wwn ?? assert.fail('the rescue host has no disk');
    const url = `oci://${registry.host}/images/node:zstd`;
    const byWwn = await rescue.run(
      url,
      { OCI_REGISTRY_AUTH_TOKEN: token },
      wwn.toUpperCase().replace('0X', '0x'),
    );
    assert.equal(byWwn.exitCode, '0', byWwn.lines.join('\n'));
    assert.ok(await diskMatchesImage(rescue.host.disks.imagePath('sda'), image));
    const unknown = await rescue.run(url, { OCI_REGISTRY_AUTH_TOKEN: token }, '0x5000c500deadbeef');
    assert.equal(unknown.exitCode, '1');
    assert.match(
      unknown.lines.at(-1) ?? '',
      /failed: root device 0x5000c500deadbeef is neither a disk under \/dev nor the WWN of one/,
    );
  });

  // Last: it reboots the rescue system into the installed OS.
  it('leaves a disk the simulated server boots into the OS, with the hostname and bootstrap data', async () => {
    const result = await install('zstd');
    assert.equal(result.lines.at(-1), 'IMAGE_URL_DONE');
    const target = await findOsTarget(rescue.host);
    assert.ok(target.bootable, target.bootable ? '' : target.reason);
    assert.equal(target.plan.hostname, 'my-node');
    await rescue.host.boot({
      hostname: target.plan.hostname,
      authorizedKeys: target.plan.authorizedKeys,
      files: osSystemFiles(target),
    });
    const os = await connectSsh(rescue.host.address, rescue.host.port, osKey.privateKey);
    try {
      assert.equal((await os.exec('hostname')).stdout.toString().trim(), 'my-node');
      assert.equal((await os.exec('cat /run/imageurl-system/bootstrap-data')).stdout.toString(), BOOTSTRAP);
    } finally {
      os.end();
    }
  });
});

/** The same disk as xz, gzip and uncompressed layers, pushed with the test's own client. */
async function pushVariants(client: OciClient, imagePath: string): Promise<void> {
  const raw = await readFile(imagePath);
  const compressors: [string, string[]][] = [
    ['xz', ['xz', '-T0', '-c']],
    ['gzip', ['gzip', '-c']],
    ['raw', []],
  ];
  for (const [tag, [program, ...args]] of compressors) {
    const data =
      program === undefined
        ? raw
        : (await run(program, [...args, imagePath], { encoding: 'buffer', maxBuffer: 64 * MiB })).stdout;
    await client.pushArtifact('images/node', tag, {
      artifactType: 'application/vnd.imageurl.disk.v1',
      layers: [
        {
          mediaType: `application/vnd.imageurl.disk.v1.raw${tag === 'raw' ? '' : `+${tag}`}`,
          data,
          annotations: {
            'io.imageurl.disk.uncompressed-size': String(raw.length),
            'io.imageurl.disk.uncompressed-digest': `sha256:${createHash('sha256').update(raw).digest('hex')}`,
          },
        },
      ],
    });
  }
}
