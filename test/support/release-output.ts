/** Runs `npm run release`'s script into a temporary folder and reads what it wrote. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { substitute } from './clusterctl-variables.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RELEASE_SCRIPT = join(REPO_ROOT, 'scripts/release.ts');
export const RELEASE_VERSION = 'v0.1.0';

export interface ReleaseRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The release script with `args`, run by this Node with tsx, as `npm run release -- ARGS` runs it. */
export async function runRelease(args: readonly string[]): Promise<ReleaseRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', RELEASE_SCRIPT, ...args],
      {
        cwd: REPO_ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export function objectsOf(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

export interface ReleaseFiles {
  readonly dir: string;
  /** File name → text, as written. */
  readonly files: Readonly<Record<string, string>>;
  remove(): Promise<void>;
}

/** Releases RELEASE_VERSION into a fresh temporary folder; rejects with the script's stderr. */
export async function releaseIntoTemp(): Promise<ReleaseFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'imageurl-release-'));
  const remove = async (): Promise<void> => rm(dir, { recursive: true, force: true });
  const run = await runRelease([RELEASE_VERSION, '--out', dir]);
  if (run.code !== 0) {
    await remove();
    throw new Error(`release failed (${run.code}): ${run.stderr}`);
  }
  const names = [
    'metadata.yaml',
    'infrastructure-components.yaml',
    'cluster-template-image-url.yaml',
    'cluster-template-hcloud-image-url.yaml',
    'cluster-template-baremetal-image-url.yaml',
  ];
  const files = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as const)),
  );
  return { dir, files, remove };
}

/** infrastructure-components.yaml as `clusterctl init` installs it with every default. */
export function defaultComponents(release: ReleaseFiles): K8sObject[] {
  return objectsOf(substitute(release.files['infrastructure-components.yaml'] ?? '', {}));
}
