import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderHostStateMachineDoc } from './state-machine-doc.js';

const docPath = fileURLToPath(new URL('../../docs/baremetal-state-machine.md', import.meta.url));

describe('docs/baremetal-state-machine.md', () => {
  it('is generated from the host state table and up to date', async () => {
    // Formatted as `prettier --check .` wants it, so the doc passes both checks.
    const options = (await resolveConfig(docPath)) ?? {};
    const expected = await format(renderHostStateMachineDoc(), { ...options, filepath: docPath });
    if (process.env['UPDATE_STATE_MACHINE_DOC'] === '1') await writeFile(docPath, expected);
    const actual = await readFile(docPath, 'utf8').catch(() => '');
    assert.equal(
      actual,
      expected,
      'docs/baremetal-state-machine.md is stale: run UPDATE_STATE_MACHINE_DOC=1 node --import tsx --test src/baremetal/state-machine-doc.test.ts',
    );
  });
});
