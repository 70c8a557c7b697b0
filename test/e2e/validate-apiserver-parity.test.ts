import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { examples } from '../../api/v1beta1/examples.js';
import { kinds } from '../../api/v1beta1/index.js';
import { runCommand, type CommandRun } from '../support/run-command.js';

const bin = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));
const group = 'infrastructure.cluster.x-k8s.io';

function imageurl(...args: string[]): Promise<CommandRun> {
  return runCommand(process.execPath, [bin, ...args], { timeoutMs: 120_000 });
}

type Manifest = Record<string, unknown>;

function machine(name: string, spec: Manifest, metadata: Manifest = {}): Manifest {
  return {
    apiVersion: `${group}/v1beta1`,
    kind: 'HCloudMachine',
    metadata: { name, ...metadata },
    spec: { type: 'cpx22', imageURLCommand: 'image-url-command-disk', ...spec },
  };
}

function good(name: string, metadata: Manifest = {}): Manifest {
  return machine(name, { imageURL: 'oci://ghcr.io/org/node:v1' }, metadata);
}

const KiB = 1024;

/** What `kubectl apply` would refuse that `imageurl validate` used to pass (#19). */
describe('imageurl validate refuses what the apiserver would', () => {
  let dir = '';
  let cases = '';
  let run: CommandRun;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imageurl-validate-parity-'));
    cases = join(dir, 'cases');
    await mkdir(cases);
    await writeFile(
      join(cases, 'unserved.yaml'),
      [
        { apiVersion: `${group}/v1beta1`, kind: 'HetznerBareMetalRemediation', metadata: { name: 'rem' } },
        { ...good('next'), apiVersion: `${group}/v1beta3` },
      ]
        .map((object) => stringify(object))
        .join('---\n'),
    );
    await writeFile(
      join(cases, 'typo.yaml'),
      stringify(machine('typo', { imageUrl: 'oci://ghcr.io/org/node:v1' }, { lables: { a: 'b' } })),
    );
    await writeFile(
      join(cases, 'size.yaml'),
      [
        good('etcd', { annotations: { big: 'x'.repeat(1600 * KiB) } }),
        good('annotations', { annotations: { big: 'x'.repeat(300 * KiB) } }),
        good('applied', { annotations: { big: 'x'.repeat(200 * KiB) } }),
        good('fits', { annotations: { small: 'x'.repeat(100 * KiB) } }),
      ]
        .map((object) => stringify(object))
        .join('---\n'),
    );
    await writeFile(
      join(cases, 'lines.yaml'),
      `# a comment\n---\n# the machine\n${stringify(machine('lines', { imageURL: 'not-a-url' }))}`,
    );
    run = await imageurl('validate', cases);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const line = (file: string, rest: string): string => `${join(cases, file)}:${rest}`;

  it('validates each item of a List, naming items[i] and the item, and exits 1', async () => {
    const file = join(dir, 'list.yaml');
    const items = [good('fine'), machine('broken', { imageURL: 'not-a-url' })];
    await writeFile(file, stringify({ apiVersion: 'v1', kind: 'List', items }));
    const list = await imageurl('validate', file);
    assert.equal(list.code, 1, list.stderr);
    assert.match(
      list.stdout,
      /^.*list\.yaml:\d+ items\[1\] HCloudMachine\/broken spec\.imageURL: Invalid value: "not-a-url"/,
    );
    assert.equal(list.stdout.split('\n').filter(Boolean).length, 1, list.stdout);
    assert.match(list.stderr, /2 object\(s\): 1 valid, 1 invalid/);
  });

  it('refuses a kind of its group it does not serve, naming what it serves', () => {
    const served = kinds.map((definition) => definition.kind).join(', ');
    assert.ok(
      run.stdout.includes(
        `${line('unserved.yaml', '2')} HetznerBareMetalRemediation/rem kind: Unsupported value: "HetznerBareMetalRemediation": not a kind imageurl serves in ${group} (served: ${served})`,
      ),
      run.stdout,
    );
  });

  it('refuses a version of its group it does not serve, naming the served ones', () => {
    assert.ok(
      run.stdout.includes(
        `${line('unserved.yaml', '6')} HCloudMachine/next apiVersion: Unsupported value: "${group}/v1beta3": ${group} v1beta3 is not served (served: v1beta1, v1beta2)`,
      ),
      run.stdout,
    );
  });

  it('reports unknown fields with the field they most likely meant, instead of dropping them', () => {
    const typo = run.stdout.split('\n').filter((text) => text.includes('typo.yaml'));
    assert.deepEqual(typo.slice(0, 2), [
      `${line('typo.yaml', '5')} HCloudMachine/typo metadata.lables: unknown field; did you mean labels?`,
      `${line('typo.yaml', '7')} HCloudMachine/typo spec.imageName: Invalid value: "": imageName and imageURL empty. One of these attributes must be set`,
    ]);
    assert.ok(
      typo.includes(
        `${line('typo.yaml', '10')} HCloudMachine/typo spec.imageUrl: unknown field; did you mean imageURL?`,
      ),
      typo.join('\n'),
    );
  });

  it("refuses objects over etcd's request limit and annotations over the apiserver's", () => {
    const size = run.stdout.split('\n').filter((text) => text.includes('size.yaml'));
    assert.equal(size.length, 3, size.join('\n'));
    assert.match(
      size[0] ?? '',
      /HCloudMachine\/etcd Too long: the object is 1\.6 MiB \(\d+ bytes\) as JSON; etcd refuses requests over 1\.5 MiB \(1572864 bytes, its default --max-request-bytes\)/,
    );
    assert.match(
      size[1] ?? '',
      /HCloudMachine\/annotations metadata\.annotations: Too long: may not be more than 262144 bytes$/,
    );
    assert.match(
      size[2] ?? '',
      /HCloudMachine\/applied metadata\.annotations: Too long: may not be more than 262144 bytes with the \d+ bytes kubectl apply adds in kubectl\.kubernetes\.io\/last-applied-configuration/,
    );
  });

  it('names the line of the field, counting comments and earlier documents', () => {
    // Line 1 a comment, 2 `---`, 3 a comment, then the object from line 4: imageURL is its 8th line.
    assert.ok(
      run.stdout.includes(
        `${line('lines.yaml', '11')} HCloudMachine/lines spec.imageURL: Invalid value: "not-a-url"`,
      ),
      run.stdout,
    );
    assert.equal(run.code, 1);
  });

  it('refuses an input without any object (exit 1)', async () => {
    const empty = join(dir, 'empty.yaml');
    await writeFile(empty, '# nothing here\n---\n');
    const nothing = await imageurl('validate', empty);
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /imageurl validate: no objects in .*empty\.yaml/);
  });

  it('exits 2 on usage errors, 0 for valid examples', async () => {
    assert.equal((await imageurl('validate', '--no-such-flag', dir)).code, 2);
    const file = join(dir, 'examples.yaml');
    await writeFile(
      file,
      Object.values(examples)
        .map((example) => stringify(example))
        .join('---\n'),
    );
    const valid = await imageurl('validate', file);
    assert.equal(valid.code, 0, valid.stdout);
  });
});
