import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startOciRegistry, type OciRegistry } from '../../sim/oci-registry/index.js';
import { parseImageReference } from '../../src/oci/image-reference.js';
import { pushDiskImage } from '../../src/oci/push-disk-image.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { BOOTSTRAP, rescueForCommand, type RescueForCommand } from '../support/disk-command-rescue.js';
import {
  buildPartitionedImage,
  ext4Mode,
  readExt4File,
  readIsoFile,
  readVfatFile,
  type PartitionedImage,
  type PartitionedImageSpec,
} from '../support/partitioned-image.js';

const MiB = 1024 * 1024;
const META_DATA = 'instance-id: m1\nlocal-hostname: m1\n';
const SEED_DIR = '/var/lib/cloud/seed/nocloud';
const cloudInitRoot = { 'etc/cloud/cloud.cfg': 'datasource_list: [NoCloud]\n', 'etc/hostname': 'image\n' };

/**
 * Real cloud images: GPT disks with an ext4 root, some with a cloud-init seed partition, pushed to
 * a real registry and installed by the disk command in a simulated rescue system, whose
 * `partprobe` gives it /dev/sda1, /dev/sda2 (sim/host/partprobe-shim.sh). What the command wrote
 * is read from the disk's file afterwards, without mounting anything on this machine.
 */
describe('image-url-command-disk with cloud-init NoCloud images, in a rescue system', () => {
  let scratch = '';
  let registry: OciRegistry;
  let rescue: RescueForCommand;
  let token = '';
  const images = new Map<string, PartitionedImage>();
  const cleanups: (() => Promise<void>)[] = [];

  const variants: Record<string, Omit<PartitionedImageSpec, 'path'>> = {
    cidata: {
      root: cloudInitRoot,
      seed: { type: 'vfat', label: 'CIDATA', files: { 'user-data': 'stale\n' } },
    },
    'lower-cidata-iso': {
      root: cloudInitRoot,
      seed: { type: 'iso9660', label: 'cidata', files: { 'network-config': 'version: 2\n' } },
    },
    'root-only': { root: cloudInitRoot },
    // A FAT partition with another label and a root without /etc/cloud: nowhere cloud-init looks.
    neither: { root: { 'etc/hostname': 'image\n' }, seed: { type: 'vfat', label: 'EFI' } },
  };

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-nocloud-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    registry = await startOciRegistry({ auth: 'token' });
    cleanups.push(() => registry.stop());
    const user = registry.users[0];
    assert.ok(user);
    token = `${user.username}:${user.password}`;
    for (const [tag, spec] of Object.entries(variants)) {
      const image = await buildPartitionedImage({ ...spec, path: join(scratch, `${tag}.img`) });
      images.set(tag, image);
      const target = parseImageReference(`oci://${registry.host}/images/cloud:${tag}`);
      const client = new RegistryClient(registry.url, target.repository, { kind: 'basic', ...user });
      await pushDiskImage({ file: image.path, target, client });
    }
    rescue = await rescueForCommand(scratch, 'nocloud', 64 * MiB);
    cleanups.push(() => rescue.close());
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const install = async (tag: string): ReturnType<RescueForCommand['run']> =>
    rescue.run(`oci://${registry.host}/images/cloud:${tag}`, { OCI_REGISTRY_AUTH_TOKEN: token });
  const disk = (): string => rescue.host.disks.imagePath('sda');
  const partition = (tag: string, index: number): PartitionedImage['partitions'][number] => {
    const found = images.get(tag)?.partitions[index];
    assert.ok(found, `image ${tag} has partition ${index + 1}`);
    return found;
  };

  it('writes user-data and meta-data to the vfat CIDATA partition, replacing what it held', async () => {
    const result = await install('cidata');
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
    assert.equal(result.lines.at(-1), 'IMAGE_URL_DONE');
    assert.ok(
      result.lines.some((line) => /NoCloud seed .* written to the vfat partition \/dev\/sda2$/.test(line)),
    );
    assert.equal(await readVfatFile(disk(), partition('cidata', 1), 'user-data'), BOOTSTRAP);
    assert.equal(await readVfatFile(disk(), partition('cidata', 1), 'meta-data'), META_DATA);
    assert.equal(await readExt4File(disk(), partition('cidata', 0), `${SEED_DIR}/user-data`), undefined);
    assert.equal(await readExt4File(disk(), partition('cidata', 0), '/etc/hostname'), 'image\n');
  });

  it('rebuilds an iso9660 cidata partition with the seed, keeping the files it held', async () => {
    const result = await install('lower-cidata-iso');
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
    assert.equal(result.lines.at(-1), 'IMAGE_URL_DONE');
    const seed = partition('lower-cidata-iso', 1);
    assert.equal(await readIsoFile(disk(), seed, 'user-data'), BOOTSTRAP);
    assert.equal(await readIsoFile(disk(), seed, 'meta-data'), META_DATA);
    assert.equal(await readIsoFile(disk(), seed, 'network-config'), 'version: 2\n');
  });

  it('without a seed partition, writes the seed directory on the root filesystem, root-only', async () => {
    const result = await install('root-only');
    assert.equal(result.exitCode, '0', result.lines.join('\n'));
    assert.equal(result.lines.at(-1), 'IMAGE_URL_DONE');
    assert.match(
      result.lines.at(-2) ?? '',
      /NoCloud seed written to \/var\/lib\/cloud\/seed\/nocloud on \/dev\/sda1$/,
    );
    const root = partition('root-only', 0);
    assert.equal(await readExt4File(disk(), root, `${SEED_DIR}/user-data`), BOOTSTRAP);
    assert.equal(await readExt4File(disk(), root, `${SEED_DIR}/meta-data`), META_DATA);
    assert.equal(await ext4Mode(disk(), root, SEED_DIR), '0700');
    assert.equal(await ext4Mode(disk(), root, `${SEED_DIR}/user-data`), '0600');
    assert.equal(await ext4Mode(disk(), root, '/var/lib/cloud'), '0755');
  });

  it('fails closed, without the marker, when the image has no place cloud-init reads', async () => {
    const result = await install('neither');
    assert.equal(result.exitCode, '1');
    assert.match(
      result.lines.at(-1) ?? '',
      /failed: the image has no bootstrap data location this command knows/,
    );
    assert.match(result.message, /^failed: the image has no bootstrap data location/);
    assert.ok(!result.lines.some((line) => line.includes('IMAGE_URL_DONE')));
    const start = (await readFile(disk())).subarray(0, MiB);
    assert.ok(
      start.every((byte) => byte === 0),
      'the start of the disk is wiped so it never boots without its bootstrap data',
    );
  });

  it('leaves nothing mounted and no seed copy in the rescue system', async () => {
    await install('root-only');
    assert.equal(await rescue.shell("grep -c ' /tmp/' /proc/mounts || true"), '0\n');
    assert.equal(await rescue.shell('ls -A /tmp'), '');
  });
});
