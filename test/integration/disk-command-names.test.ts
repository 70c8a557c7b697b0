import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DISK_COMMAND, rescueForCommand, type RescueForCommand } from '../support/disk-command-rescue.js';

const commandFile = (name: string): string => DISK_COMMAND.replace('image-url-command-disk', name);

/** The lines in which the named copies may differ from image-url-command-disk: their name and schemes. */
const NAMED_LINES = /^readonly (COMMAND_NAME|ACCEPTED_SCHEMES)=.*$/gm;

describe('the disk command under its oci and https names takes only the images its name is for', () => {
  it('is image-url-command-disk but for its name and schemes (copy it with those two lines changed)', async () => {
    const general = (await readFile(DISK_COMMAND, 'utf8')).replace(NAMED_LINES, '');
    for (const name of ['image-url-command-oci-disk', 'image-url-command-https-disk']) {
      const named = await readFile(commandFile(name), 'utf8');
      assert.match(named, new RegExp(`^readonly COMMAND_NAME=${name}$`, 'm'));
      assert.equal(named.replace(NAMED_LINES, ''), general, `${name} drifted from image-url-command-disk`);
    }
  });

  const scratch: string[] = [];
  const rescues: RescueForCommand[] = [];
  after(async () => {
    for (const rescue of rescues) await rescue.close();
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  for (const [name, url, instead] of [
    ['image-url-command-https-disk', 'oci://registry.example/images/node:v1', 'image-url-command-oci-disk'],
    [
      'image-url-command-oci-disk',
      'https://images.example/node.img.zst#unverified',
      'image-url-command-https-disk',
    ],
  ] as const) {
    describe(name, () => {
      let rescue: RescueForCommand;
      before(async () => {
        const dir = await mkdtemp(join(tmpdir(), 'imageurl-command-names-'));
        scratch.push(dir);
        rescue = await rescueForCommand(
          dir,
          name.replace('image-url-command-', ''),
          8 * 1024 * 1024,
          commandFile(name),
        );
        rescues.push(rescue);
      });

      it(`refuses ${url.split(':')[0]}:// images before touching anything, naming the command to use`, async () => {
        const before = await readFile(rescue.host.disks.imagePath('sda'));
        const result = await rescue.run(url, { OCI_REGISTRY_AUTH_TOKEN: '' });
        assert.equal(result.exitCode, '1', result.lines.join('\n'));
        assert.ok(!result.lines.includes('IMAGE_URL_DONE'), result.lines.join('\n'));
        const scheme = name.includes('https') ? 'https' : 'oci';
        const expected = `${name} installs images from ${scheme}:// URLs only, got ${url}; for this image use ${instead}`;
        assert.equal(result.lines.at(-1), `${name}: failed: ${expected}`);
        assert.equal(result.message, `failed: ${expected}`);
        assert.ok(
          (await readFile(rescue.host.disks.imagePath('sda'))).equals(before),
          'the disk is untouched',
        );
      });
    });
  }
});
