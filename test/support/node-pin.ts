import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const installScript = fileURLToPath(new URL('../../tools/node/install.sh', import.meta.url));

/** The Node.js release tools/node/install.sh pins: the one imageurl ships and is tested on. */
export async function pinnedNode(): Promise<{ version: string; integrity: string }> {
  const script = await readFile(installScript, 'utf8');
  const version = /^version=(\d+\.\d+\.\d+)$/m.exec(script)?.[1];
  const integrity = /^integrity=(sha512-[A-Za-z0-9+/]+=*)$/m.exec(script)?.[1];
  assert.ok(version && integrity, `${installScript} has no version=X.Y.Z or integrity=sha512-… line`);
  return { version, integrity };
}
