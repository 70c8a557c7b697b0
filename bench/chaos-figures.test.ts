import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runsTwice } from './chaos-figures.js';
import { namesWithTwoServers } from './chaos-observer.js';

describe('the chaos soak counts what must not happen', () => {
  it('a command started twice in one attempt, not once in each of two attempts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imageurl-chaos-runs-'));
    try {
      const file = join(dir, 'runs');
      await writeFile(
        file,
        '1 hc-0-0 hcloud-1-aa\n2 hc-0-0 hcloud-1-bb\n3 bm-0-0 bm-301-cc\n4 bm-0-0 bm-301-cc\n',
      );
      assert.deepEqual(await runsTwice(file), { runs: 4, twice: ['bm-0-0 bm-301-cc ×2'] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('two servers alive at once for one machine, not one replacing the other', () => {
    assert.deepEqual(namesWithTwoServers([{ name: 'hc-0-0' }]), []);
    assert.deepEqual(namesWithTwoServers([{ name: 'hc-0-0' }, { name: 'hc-1-0' }]), []);
    assert.deepEqual(
      namesWithTwoServers([{ name: 'hc-1-0' }, { name: 'hc-0-0' }, { name: 'hc-1-0' }, { name: 'hc-1-0' }]),
      ['hc-1-0'],
    );
  });
});
