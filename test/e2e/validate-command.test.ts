import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

async function imageurl(args: string[], stdin = ''): Promise<Run> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
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

  it('prints every error of a folder, one line each as file:doc kind/name field: message, and exits 1', async () => {
    const { code, stdout, stderr } = await imageurl(['validate', join(dir, 'manifests')]);
    const bad = join(dir, 'manifests', 'nested', 'bad.yml');
    assert.equal(code, 1);
    assert.deepEqual(stdout.trimEnd().split('\n'), [
      `${bad}:1 HCloudMachine/bad-url spec.imageURL: Invalid value: "not-a-valid-url": parse "not-a-valid-url": invalid URI for request (want an absolute URL such as oci://ghcr.io/org/image:v1 or https://example.com/disk.img.zst)`,
      `${bad}:1 HCloudMachine/bad-url spec.imageURLCommand: Invalid value: "install.sh": must match the regex ^image-url-command-[a-z0-9][a-z0-9._-]*$ (a file name below /shared such as image-url-command-install.sh)`,
      `${bad}:3 HetznerBareMetalMachine/bad-bm spec.installImage.image.url: Required value: url is required when imageURLCommand is set`,
      `${bad}:3 HetznerBareMetalMachine/bad-bm spec.installImage.image.name: Invalid value: "ubuntu-24.04": name must be empty when imageURLCommand is set`,
    ]);
    assert.match(stderr, /note: .*bad\.yml:2 ConfigMap\/other \(v1\) skipped: not a kind imageurl serves/);
    assert.match(stderr, /10 document\(s\): 7 valid, 2 invalid \(4 problem\(s\)\), 1 skipped/);
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

  it('reports YAML syntax errors with their line and exits 1', async () => {
    const { code, stdout } = await imageurl(['validate', join(dir, 'broken.yaml')]);
    assert.equal(code, 1);
    assert.match(stdout, /broken\.yaml:1 \?\/\(unnamed\) syntax error at line \d+:/);
  });

  it('exits 2 on input it cannot read, naming the path', async () => {
    const missing = await imageurl(['validate', join(dir, 'missing.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*missing\.yaml: no such file or directory/);
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.yaml');
      await writeFile(locked, '');
      await chmod(locked, 0);
      assert.equal((await imageurl(['validate', locked])).code, 2);
    }
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
    assert.equal(
      stdout,
      '-:1 HCloudMachine/bad-url spec.imageUrl: Invalid value: "typo": field not declared in schema\n',
    );
  });
});
