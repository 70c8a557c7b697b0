// The user docs against the code, so that they cannot drift apart unnoticed: every imageurl flag
// they name is one the CLI has, every condition reason, event reason, state or kind they name in
// code spans exists in the code, and every relative link leads to a file (and heading) that exists.
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { conditionTypesAndReasons } from '../support/condition-names.js';
import {
  camelCaseMentions,
  cliHelp,
  codeNames,
  flagMentions,
  headingAnchors,
  helpFlags,
  linkMentions,
  markdownFiles,
  type Mention,
} from '../support/markdown-facts.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Options of other programs the docs show next to imageurl's, and why each is not imageurl's. */
const OTHER_PROGRAMS_FLAGS: Readonly<Record<string, string>> = {
  '--config': 'clusterctl',
  '--infrastructure': 'clusterctl',
  '--flavor': 'clusterctl generate cluster',
  '--kubernetes-version': 'clusterctl generate cluster',
  '--control-plane-machine-count': 'clusterctl generate cluster',
  '--worker-machine-count': 'clusterctl generate cluster',
  '--include-crd': 'clusterctl delete',
  '--include-namespace': 'clusterctl delete',
  '--from': 'clusterctl generate yaml',
  '--from-literal': 'kubectl create secret',
  '--from-file': 'kubectl create secret',
  '--server-side': 'kubectl apply',
  '--subresource': 'kubectl auth can-i',
  '--as': 'kubectl',
  '--type': 'kubectl patch',
  '--field-selector': 'kubectl get',
  '--sort-by': 'kubectl get',
  '--import': 'node',
  '--noEmit': 'tsc',
  '--globoff': 'curl',
  '--rereadpt': 'blockdev',
  '--chmod': 'Dockerfile COPY',
  '--out': 'npm run release',
  '--registry': 'npm run release',
  '--label': 'hcloud server create-image',
  '--diagnostics-address': 'Cluster API managers',
  '--insecure-diagnostics': 'Cluster API managers',
  '--health-addr': 'Cluster API managers',
};

/** Names of Kubernetes and Cluster API the docs use that imageurl's code never spells. */
const EXTERNAL_NAMES = new Set(['Machine', 'MachineHealthCheck', 'MachineDeployment', 'Cluster', 'Secret']);

/** The pages whose reasons, states and kinds in code spans must exist. */
const NAME_CHECKED_DOCS = [
  'docs/troubleshooting.md',
  'docs/baremetal.md',
  'docs/hcloud-machine.md',
  'docs/hcloud-cluster.md',
];

function listed(mentions: readonly Mention[]): string {
  return mentions.map((m) => `${m.file}:${m.line} ${m.text}`).join('\n');
}

describe('the docs match the code', () => {
  const texts = new Map<string, string>();
  let userDocs: string[] = [];
  let help = '';

  before(
    async () => {
      const docs = await markdownFiles(root, 'docs');
      userDocs = ['README.md', ...docs.filter((file) => !file.startsWith('docs/adr/'))];
      for (const file of ['README.md', ...docs]) texts.set(file, await readFile(join(root, file), 'utf8'));
      help = await cliHelp(join(root, 'bin/imageurl.js'));
    },
    { timeout: 300_000 },
  );

  it('lists in the README every command --help lists, and says what the controller reconciles', async () => {
    const readme = texts.get('README.md') ?? '';
    const rows = readme.split('\n').filter((line) => line.startsWith('| `imageurl '));
    const documented = new Set(rows.map((row) => /^\| `imageurl ([a-z-]+)/.exec(row)?.[1]));
    const commands = [...(help.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([a-z][\w-]*)/gm)]
      .map((match) => match[1] ?? '')
      .filter((name) => name !== 'help');
    assert.deepEqual(
      commands.filter((name) => !documented.has(name)),
      [],
      'commands missing in the README',
    );
    const setup = await readFile(join(root, 'src/setup/run-controller.ts'), 'utf8');
    const kinds = [...setup.matchAll(/\badd(\w+)Controller\(/g)].map((match) => match[1] ?? '');
    assert.ok(kinds.length >= 4, `controllers found in src/setup: ${kinds.join(', ')}`);
    const controllerHelp = /^Usage: imageurl controller[^]*?(?=^Usage: |(?![^]))/m.exec(help)?.[0] ?? '';
    const controllerRow = rows.find((row) => row.startsWith('| `imageurl controller')) ?? '';
    const status = /> \*\*Status:\*\*[^]*?\n\n/.exec(readme)?.[0] ?? '';
    for (const [where, text] of Object.entries({ controllerHelp, controllerRow, status })) {
      const missing = kinds.filter((kind) => !text.replace(/\s+/g, ' ').includes(kind));
      assert.deepEqual(missing, [], `${where} does not name what the controller reconciles`);
    }
  });

  it('names only flags the imageurl CLI has (README and docs/*.md)', () => {
    const known = helpFlags(help);
    const unknown = userDocs
      .flatMap((file) => flagMentions(file, texts.get(file) ?? ''))
      .filter((m) => !known.has(m.text) && OTHER_PROGRAMS_FLAGS[m.text] === undefined);
    assert.deepEqual(unknown, [], `flags no imageurl command has:\n${listed(unknown)}`);
  });

  it('names only condition reasons, events, states and kinds the code has', async () => {
    const known = new Set([
      ...conditionTypesAndReasons(),
      ...(await codeNames(root, ['api', 'src'])),
      ...EXTERNAL_NAMES,
    ]);
    const unknown = NAME_CHECKED_DOCS.flatMap((file) =>
      camelCaseMentions(file, texts.get(file) ?? assert.fail(`${file} is missing`)),
    ).filter((m) => !known.has(m.text));
    assert.deepEqual(unknown, [], `names the code does not have:\n${listed(unknown)}`);
  });

  it('links only to files and headings that exist (README and docs/, ADRs included)', async () => {
    const links = [...texts].flatMap(([file, text]) => linkMentions(file, text));
    const broken: Mention[] = [];
    for (const link of links) if (!(await leadsSomewhere(link, texts))) broken.push(link);
    assert.deepEqual(broken, [], `links to nothing:\n${listed(broken)}`);
  });

  it('has each section once in a file (a doc pasted into itself repeats its headings)', () => {
    const repeated = [...texts].flatMap(([file, text]) => {
      const headings = text.split('\n').filter((line) => /^#{1,3} /.test(line));
      return headings.filter((heading, i) => headings.indexOf(heading) !== i).map((h) => `${file}: ${h}`);
    });
    assert.deepEqual(repeated, [], 'headings repeated within a file');
  });
});

/** The link's file exists and, for a Markdown file, so does the heading its anchor names. */
async function leadsSomewhere(link: Mention, texts: ReadonlyMap<string, string>): Promise<boolean> {
  const [path = '', anchor] = link.text.split('#');
  const target = path === '' ? link.file : normalize(join(dirname(link.file), decodeURIComponent(path)));
  if (!(await exists(join(root, target)))) return false;
  if (!anchor || !target.endsWith('.md')) return true;
  return headingAnchors(texts.get(target) ?? (await readFile(join(root, target), 'utf8'))).has(anchor);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
