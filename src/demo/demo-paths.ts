import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '../../sim/kube-control-plane/envtest-versions.js';

/** Where the demo finds its bundled files and keeps its scratch state. */
export interface DemoPaths {
  readonly root: string;
  readonly crds: string;
  /** The controller's commands folder: the repository's reference commands. */
  readonly commands: string;
  /** Removed when the demo stops. */
  readonly work: string;
}

export async function demoPaths(): Promise<DemoPaths> {
  const root = findRepoRoot();
  if (root === undefined) throw new Error('imageurl demo runs from a clone of the imageurl repository');
  return {
    root,
    crds: join(root, 'config', 'crd', 'bases'),
    commands: join(root, 'commands'),
    work: await mkdtemp(join(tmpdir(), 'imageurl-demo-')),
  };
}
