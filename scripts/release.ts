/**
 * `npm run release -- VERSION [--out DIR] [--registry REGISTRY]`: the clusterctl provider
 * repository of one release in DIR (default out/): metadata.yaml, infrastructure-components.yaml
 * (config/default rendered by the kubectl the project builds, with clusterctl variables for the
 * images and options) and the cluster templates. Bad input: one line on stderr, exit 1.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { parse } from 'yaml';
import { findOptionalAsset } from '../sim/kube-control-plane/assets.js';
import { infrastructureComponents } from './release/components.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const run = promisify(execFile);
const USAGE = 'usage: npm run release -- vMAJOR.MINOR.PATCH [--out DIR] [--registry REGISTRY]';
const TEMPLATES = [
  'cluster-template-image-url.yaml',
  'cluster-template-hcloud-image-url.yaml',
  'cluster-template-baremetal-image-url.yaml',
];

class ReleaseError extends Error {}

interface Metadata {
  releaseSeries?: { major: number; minor: number; contract: string }[];
}

function parseVersion(version: string | undefined): { major: number; minor: number } {
  if (version === undefined) throw new ReleaseError(`missing VERSION; ${USAGE}`);
  const match = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/.exec(version);
  if (!match)
    throw new ReleaseError(
      `invalid VERSION ${JSON.stringify(version.slice(0, 40))}; allowed: a semantic version with a leading v, like v0.1.0`,
    );
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** The repository's metadata.yaml, which must already list the version's release series. */
async function metadataFor(version: string, series: { major: number; minor: number }): Promise<string> {
  const text = await readFile(join(root, 'metadata.yaml'), 'utf8');
  const listed = (parse(text) as Metadata).releaseSeries ?? [];
  if (!listed.some((entry) => entry.major === series.major && entry.minor === series.minor))
    throw new ReleaseError(
      `metadata.yaml has no release series ${series.major}.${series.minor} for ${version}; add it with its Cluster API contract`,
    );
  return text;
}

/** kubectl as the tests find it ($KUBEBUILDER_ASSETS, .cache/envtest), else built by tools/envtest. */
async function kubectl(): Promise<string> {
  const found = findOptionalAsset('kubectl');
  if (found !== undefined) return found;
  const { stdout } = await run('bash', [join(root, 'tools/envtest/install.sh')], { cwd: root });
  return join(stdout.trim(), 'kubectl');
}

async function release(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, registry: { type: 'string' } },
  });
  if (positionals.length > 1)
    throw new ReleaseError(`one VERSION expected, got ${positionals.length}; ${USAGE}`);
  const version = positionals[0];
  const series = parseVersion(version);
  const input = { version: version ?? '', registry: values.registry ?? 'ghcr.io/imageurl' };
  const metadata = await metadataFor(input.version, series);
  const { stdout: rendered } = await run(await kubectl(), ['kustomize', join(root, 'config/default')], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = resolve(values.out ?? join(root, 'out'));
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'metadata.yaml'), metadata);
  await writeFile(join(out, 'infrastructure-components.yaml'), infrastructureComponents(rendered, input));
  for (const template of TEMPLATES)
    await writeFile(join(out, template), await readFile(join(root, 'templates', template), 'utf8'));
  return out;
}

try {
  const out = await release(process.argv.slice(2));
  console.log(`release: wrote ${out}`);
} catch (error) {
  const known =
    error instanceof ReleaseError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
  console.error(`release: ${known ? (error as Error).message : String((error as Error).stack ?? error)}`);
  process.exitCode = 1;
}
