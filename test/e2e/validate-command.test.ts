import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { examples } from '../../api/v1beta1/examples.js';

const bin = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI; `withoutDacOverride` runs it, as root, without the capabilities that let root
 * read any file (so a file root does not own can be unreadable to it), wherever the clone lies.
 */
async function imageurl(
  args: string[],
  stdin: string | Buffer = '',
  withoutDacOverride = false,
): Promise<Run> {
  // setpriv (util-linux) drops them from the bounding set, so the exec'd node never has them.
  const dropped = ['--bounding-set', '-dac_override,-dac_read_search', process.execPath, bin];
  const child = withoutDacOverride
    ? spawn('setpriv', [...dropped, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A command that stops reading early (input over its limit) closes the pipe: not a test failure.
  child.stdin.on('error', () => undefined);
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

const badMachine = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'HCloudMachine',
  metadata: { name: 'bad-url' },
  spec: { type: 'cpx22', imageURL: 'not-a-valid-url', imageURLCommand: 'install.sh' },
};
const badBareMetal = {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'HetznerBareMetalMachine',
  metadata: { name: 'bad-bm' },
  spec: {
    installImage: {
      imageURLCommand: 'image-url-command-bm',
      image: { name: 'ubuntu-24.04' },
      partitions: [],
    },
    sshSpec: { secretRef: { name: 's', key: { name: 'n', publicKey: 'p', privateKey: 'k' } } },
  },
};

describe('imageurl validate', () => {
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imageurl-validate-'));
    await mkdir(join(dir, 'manifests', 'nested'), { recursive: true });
    const good = Object.values(examples).map((example) => stringify(example));
    await writeFile(join(dir, 'manifests', 'good.yaml'), good.join('---\n'));
    await writeFile(
      join(dir, 'manifests', 'nested', 'bad.yml'),
      [badMachine, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } }, badBareMetal]
        .map((o) => stringify(o))
        .join('---\n'),
    );
    await writeFile(join(dir, 'manifests', 'notes.txt'), 'not a manifest, ignored in folders');
    await writeFile(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: [unclosed\n');
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints every error of a folder, one line each as file:line kind/name field: message, and exits 1', async () => {
    const { code, stdout, stderr } = await imageurl(['validate', join(dir, 'manifests')]);
    const bad = join(dir, 'manifests', 'nested', 'bad.yml');
    assert.equal(code, 1);
    assert.deepEqual(stdout.trimEnd().split('\n'), [
      `${bad}:7 HCloudMachine/bad-url spec.imageURL: Invalid value: "not-a-valid-url": parse "not-a-valid-url": invalid URI for request (want an absolute URL such as oci://ghcr.io/org/image:v1 or https://example.com/disk.img.zst)`,
      `${bad}:8 HCloudMachine/bad-url spec.imageURLCommand: Invalid value: "install.sh": must match the regex ^image-url-command-[a-z0-9][a-z0-9._-]*$ (a file name below /shared such as image-url-command-install.sh)`,
      `${bad}:22 HetznerBareMetalMachine/bad-bm spec.installImage.image.url: Required value: url is required when imageURLCommand is set`,
      `${bad}:23 HetznerBareMetalMachine/bad-bm spec.installImage.image.name: Invalid value: "ubuntu-24.04": name must be empty when imageURLCommand is set`,
    ]);
    assert.match(stderr, /note: .*bad\.yml:10 ConfigMap\/other \(v1\) skipped: not a kind imageurl serves/);
    // Every example is valid; bad.yml adds two invalid objects and a skipped one.
    const good = Object.keys(examples).length;
    assert.ok(
      stderr.includes(`${good + 3} object(s): ${good} valid, 2 invalid (4 problem(s)), 1 skipped`),
      stderr,
    );
  });

  it('exits 0 when every document is valid (CAPH-documented manifests)', async () => {
    const { code, stdout } = await imageurl(['validate', join(dir, 'manifests', 'good.yaml')]);
    assert.equal(code, 0);
    assert.equal(stdout, '');
  });

  it('reads standard input for -', async () => {
    const { code, stdout } = await imageurl(['validate', '-'], JSON.stringify(badMachine));
    assert.equal(code, 1);
    assert.match(stdout, /^-:1 HCloudMachine\/bad-url spec\.imageURL: Invalid value/);
  });

  it('refuses image URLs on hosts outside --image-url-hosts, as the webhook would, naming the host only', async () => {
    const machine = {
      ...badMachine,
      metadata: { name: 'elsewhere' },
      spec: {
        type: 'cpx22',
        imageURL: 'oci://quay.example.com/org/node:v1',
        imageURLCommand: 'image-url-command-disk',
      },
    };
    assert.equal(
      (await imageurl(['validate', '-'], JSON.stringify(machine))).code,
      0,
      'any host without the list',
    );
    const { code, stdout } = await imageurl(
      ['validate', '--image-url-hosts', 'ghcr.io', '-'],
      JSON.stringify(machine),
    );
    assert.equal(code, 1);
    assert.equal(
      stdout,
      '-:1 HCloudMachine/elsewhere spec.imageURL: Invalid value: "quay.example.com": this controller installs images only from ghcr.io (--image-url-hosts)\n',
    );
  });

  it('reports YAML syntax errors with their line and exits 1', async () => {
    const { code, stdout } = await imageurl(['validate', join(dir, 'broken.yaml')]);
    assert.equal(code, 1);
    assert.match(stdout, /broken\.yaml:3 \?\/\(unnamed\) syntax error: Flow sequence/);
  });

  it('exits 2 on input it cannot read, naming the path', async () => {
    const missing = await imageurl(['validate', join(dir, 'missing.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*missing\.yaml: no such file or directory/);
  });

  it('exits 2 naming a file it may not read', async () => {
    const open = await mkdtemp(join(tmpdir(), 'imageurl-validate-locked-'));
    try {
      const locked = join(open, 'locked.yaml');
      await writeFile(locked, stringify(badMachine));
      await chmod(locked, 0o600);
      // As root: a file of another user, read without root's override of file permissions.
      const asRoot = process.getuid?.() === 0;
      if (asRoot) await chown(locked, 65534, 65534);
      const run = await imageurl(['validate', locked], '', asRoot);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stderr, `imageurl validate: cannot read ${locked}: permission denied\n`);
    } finally {
      await rm(open, { recursive: true, force: true });
    }
  });

  it('exits 2 with one line for a folder that links back to itself', async () => {
    const looping = join(dir, 'looping');
    await mkdir(looping);
    await symlink(looping, join(looping, 'again'));
    const run = await imageurl(['validate', looping]);
    assert.equal(run.code, 2);
    assert.equal(
      run.stderr,
      `imageurl validate: cannot read ${join(looping, 'again')}: a symbolic link loop (it leads back to ${looping})\n`,
    );
  });

  it('exits 2 with one line when standard input is larger than 16 MiB', async () => {
    const run = await imageurl(['validate', '-'], Buffer.alloc(17 * 1024 * 1024, 0x61));
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'imageurl validate: cannot read -: standard input is larger than 16 MiB\n');
  });

  it('refuses a YAML alias bomb as an invalid document, in one line', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 10; level++) {
      levels.push(
        `l${level}: &l${level} [${Array(9)
          .fill(`*${level === 1 ? 'a' : `l${level - 1}`}`)
          .join(', ')}]`,
      );
    }
    await writeFile(join(dir, 'bomb.yaml'), `${levels.join('\n')}\n`);
    const run = await imageurl(['validate', join(dir, 'bomb.yaml')]);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /bomb\.yaml:1 .* syntax error: its aliases expand to more than 100 nodes \(refused\)/,
    );
    assert.equal(run.stderr, '1 object(s): 0 valid, 1 invalid (1 problem(s)), 0 skipped\n');
  });

  it('writes machine-readable JSON with --output json', async () => {
    const { code, stdout } = await imageurl([
      'validate',
      '--output',
      'json',
      join(dir, 'manifests', 'nested'),
    ]);
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as {
      valid: boolean;
      documents: { kind: string; status: string; errors: { field: string; type: string }[] }[];
    };
    assert.equal(report.valid, false);
    assert.deepEqual(
      report.documents.map((d) => [d.kind, d.status, d.errors.map((e) => `${e.type} ${e.field}`)]),
      [
        ['HCloudMachine', 'invalid', ['Invalid spec.imageURL', 'Invalid spec.imageURLCommand']],
        ['ConfigMap', 'skipped', []],
        [
          'HetznerBareMetalMachine',
          'invalid',
          ['Required spec.installImage.image.url', 'Invalid spec.installImage.image.name'],
        ],
      ],
    );
  });

  it('reports fields the CRD schema does not declare, as kubectl apply would', async () => {
    const { code, stdout } = await imageurl(
      ['validate', '-'],
      JSON.stringify({
        ...badMachine,
        spec: {
          type: 'cpx22',
          imageURL: 'oci://r/i:1',
          imageURLCommand: 'image-url-command-x',
          imageUrl: 'typo',
        },
      }),
    );
    assert.equal(code, 1);
    assert.equal(stdout, '-:1 HCloudMachine/bad-url spec.imageUrl: unknown field; did you mean imageURL?\n');
  });
});
