/**
 * `tsx scripts/write-build-info.ts OUTDIR`: records the commit the sources are from in
 * OUTDIR/build-info.json, which `imageurl version` of the compiled CLI prints (`npm run build`
 * calls it for dist/). The container image build writes the same file itself.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_INFO_FILE, checkoutBuildInfo } from '../src/cli/build-info.js';

const outDir = process.argv[2];
if (outDir === undefined || process.argv.length > 3) {
  console.error('usage: tsx scripts/write-build-info.ts OUTDIR');
  process.exit(2);
}
const info = await checkoutBuildInfo(fileURLToPath(new URL('../', import.meta.url)));
const record = { commit: info.commit ?? null, modified: info.modified };
await writeFile(join(outDir, BUILD_INFO_FILE), `${JSON.stringify(record)}\n`);
