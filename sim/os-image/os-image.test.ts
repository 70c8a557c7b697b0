import assert from 'node:assert/strict';
import { mkdtemp, open, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildTestImage } from './build-image.js';
import { planOsBoot, fromBootstrapData } from './os-boot-plan.js';

describe('simulated OS image format', () => {
  let scratch = '';
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-os-image-'));
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  async function writeAt(path: string, offset: number, data: Buffer): Promise<void> {
    const file = await open(path, 'r+');
    await file.write(data, 0, data.length, offset);
    await file.close();
  }

  it('boots a fresh image with the default hostname and no bootstrap data', async () => {
    const image = await buildTestImage({ path: join(scratch, 'fresh.img'), defaultHostname: 'fresh' });
    const decision = await planOsBoot(image.path);
    assert.ok(decision.bootable);
    assert.equal(decision.plan.hostname, 'fresh');
    assert.equal(decision.plan.bootstrapData, '');
  });

  it('takes hostname and keys from cloud-config bootstrap data written into its region', async () => {
    const image = await buildTestImage({ path: join(scratch, 'data.img') });
    const data =
      '#cloud-config\nhostname: node-7\nssh_authorized_keys: [ssh-ed25519 AAAA one]\nusers:\n  - ssh_authorized_keys: [ssh-ed25519 AAAA two]\n';
    await writeAt(image.path, image.descriptor.bootstrapData.offset, Buffer.from(data));
    const decision = await planOsBoot(image.path);
    assert.ok(decision.bootable);
    assert.equal(decision.plan.hostname, 'node-7');
    assert.equal(decision.plan.bootstrapData, data);
    assert.deepEqual(decision.plan.authorizedKeys, ['ssh-ed25519 AAAA one', 'ssh-ed25519 AAAA two']);
  });

  it('never boots a blank, truncated or corrupt disk, and says why', async () => {
    const blank = join(scratch, 'blank.img');
    await truncate(await (await open(blank, 'w')).close().then(() => blank), 4 * 1024 * 1024);
    const cases: [string, RegExp][] = [[blank, /no simulated OS image header/]];
    const truncated = await buildTestImage({ path: join(scratch, 'truncated.img') });
    await truncate(truncated.path, truncated.descriptor.payload.offset + 1000);
    cases.push([truncated.path, /disk ends before/]);
    const corrupt = await buildTestImage({ path: join(scratch, 'corrupt.img') });
    await writeAt(corrupt.path, corrupt.descriptor.payload.offset + 10, Buffer.from('x'));
    cases.push([corrupt.path, /payload checksum mismatch/]);
    const header = await buildTestImage({ path: join(scratch, 'header.img') });
    await writeAt(header.path, 60, Buffer.from('X'));
    cases.push([header.path, /descriptor checksum mismatch/]);
    for (const [path, reason] of cases) {
      const decision = await planOsBoot(path);
      assert.ok(!decision.bootable, `${path} must not boot`);
      assert.match(decision.reason, reason);
    }
  });

  it('falls back to the default hostname for names that are not hostnames, and uses the fqdn label', () => {
    const image = { defaultHostname: 'fallback', authorizedKeys: [] };
    const table: [string, string][] = [
      ['#cloud-config\nhostname: "bad name"\n', 'fallback'],
      ['#cloud-config\nfqdn: web-1.example.com\n', 'web-1'],
      ['hostname: not-cloud-config\n', 'fallback'],
      ['#cloud-config\n: : [\n', 'fallback'],
      // Cluster API's kubeadm bootstrap data starts with cloud-init's jinja line.
      ['## template: jinja\n#cloud-config\nhostname: cp-0\n', 'cp-0'],
    ];
    for (const [data, hostname] of table)
      assert.equal(fromBootstrapData(data, image).hostname, hostname, data);
  });
});
