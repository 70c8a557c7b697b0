import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { importFromCheckout } from './checkout-module.js';

describe('importFromCheckout', () => {
  let scratch = '';
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-checkout-module-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('loads the module when the checkout has it', async () => {
    const file = join(scratch, 'present.mjs');
    await writeFile(file, 'export const answer = 42;\n');
    const loaded = await importFromCheckout<{ answer: number }>(pathToFileURL(file), 'demo');
    assert.equal(loaded.answer, 42);
  });

  it('says the command needs a source checkout when the build left the module out', async () => {
    const missing = pathToFileURL(join(scratch, 'run-demo.js'));
    await assert.rejects(
      importFromCheckout(missing, 'demo'),
      /^Error: demo needs a source checkout: this build leaves out the demo and the simulators \(.*run-demo\.js is missing\); run it from a clone/,
    );
  });

  it('passes on any other failure of the module, a missing dependency of it included', async () => {
    const file = join(scratch, 'broken.mjs');
    await writeFile(file, "import './not-there.mjs';\n");
    await assert.rejects(importFromCheckout(pathToFileURL(file), 'sim'), (error: Error) => {
      assert.match(error.message, /not-there\.mjs/);
      assert.doesNotMatch(error.message, /source checkout/);
      return true;
    });
  });
});
