/**
 * Writes config/crd/bases/*.yaml from the kinds in api/v1beta1.
 *
 *   node --import tsx api/crd/generate.ts           write the files
 *   node --import tsx api/crd/generate.ts --check   exit 1 and list the files that are stale
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUP } from '../v1beta1/index.js';
import { renderCrdFiles } from './crd.js';

export const CRD_DIR = fileURLToPath(new URL('../../config/crd/bases/', import.meta.url));
export const REGENERATE = 'node --import tsx api/crd/generate.ts';

const OURS = new RegExp(`^${GROUP.replace(/\./g, '\\.')}_.+\\.yaml$`);

/** What differs between `dir` and the generated files: `<file> (stale|missing|not generated)`. */
export async function staleCrdFiles(dir = CRD_DIR): Promise<string[]> {
  const expected = renderCrdFiles();
  const present = (await readdir(dir).catch(() => [])).filter((name) => OURS.test(name));
  const problems: string[] = [];
  for (const [name, text] of expected) {
    const current = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (current === undefined) problems.push(`${name} (missing)`);
    else if (current !== text) problems.push(`${name} (stale)`);
  }
  for (const name of present) if (!expected.has(name)) problems.push(`${name} (not generated)`);
  return problems.sort();
}

/** Writes every CRD file to `dir` and removes CRD files of kinds that no longer exist. */
export async function writeCrdFiles(dir = CRD_DIR): Promise<string[]> {
  const expected = renderCrdFiles();
  await mkdir(dir, { recursive: true });
  for (const [name, text] of expected) await writeFile(join(dir, name), text);
  for (const name of await readdir(dir)) {
    if (OURS.test(name) && !expected.has(name)) await rm(join(dir, name));
  }
  return [...expected.keys()];
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--check')) {
    const stale = await staleCrdFiles();
    if (stale.length === 0) return 0;
    process.stderr.write(
      `CRDs in config/crd/bases are out of date:\n  ${stale.join('\n  ')}\nRun: ${REGENERATE}\n`,
    );
    return 1;
  }
  const written = await writeCrdFiles();
  process.stdout.write(`wrote ${written.length} CRDs to config/crd/bases\n`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
