import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { partprobeSummary, servePartprobe, type PartprobeHandler } from './partprobe-channel.js';

const run = promisify(execFile);

describe('the partprobe control channel (host side)', () => {
  let dir = '';
  let nextId = 100;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imageurl-partprobe-channel-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** What partprobe-shim.sh does: a FIFO for the answer, then the request renamed into place. */
  async function ask(lines: string[], makeRequest = true): Promise<{ reply: () => Promise<string> }> {
    const id = nextId++;
    const fifoPath = join(dir, `partprobe.${id}.reply`);
    await run('mkfifo', ['-m', '0600', fifoPath]);
    const fifo = await open(fifoPath, constants.O_RDWR);
    if (makeRequest) {
      await writeFile(join(dir, `partprobe.${id}.new`), lines.map((l) => `${l}\n`).join(''));
      await rename(join(dir, `partprobe.${id}.new`), join(dir, `partprobe.${id}.request`));
    }
    return {
      reply: async () => {
        let text = '';
        const buffer = Buffer.alloc(4096);
        try {
          while (!/(^|\n)(ok|error [^\n]*)\n$/.test(text)) {
            const { bytesRead } = await fifo.read(buffer, 0, buffer.length);
            text += buffer.subarray(0, bytesRead).toString();
          }
          return text;
        } finally {
          await fifo.close();
          await rm(fifoPath, { force: true });
        }
      },
    };
  }

  async function serving<T>(handle: PartprobeHandler, body: () => Promise<T>): Promise<T> {
    const channel = servePartprobe(dir, handle);
    try {
      return await body();
    } finally {
      channel.close();
    }
  }

  it('passes the disk names to the handler and answers its summary lines, then ok', async () => {
    const seen: (readonly string[])[] = [];
    const text = await serving(
      (disks) => {
        seen.push(disks);
        return Promise.resolve(['/dev/sda: gpt partitions 1 2']);
      },
      async () => (await ask(['sda', 'sdb'])).reply(),
    );
    assert.equal(text, '/dev/sda: gpt partitions 1 2\nok\n');
    assert.deepEqual(seen, [['sda', 'sdb']]);
  });

  it('answers a failing handler with one error line, and refuses names that are no disk names', async () => {
    const failing = await serving(
      () => Promise.reject(new Error('partition(s) sda1 of /dev/sda changed\nbut are in use')),
      async () => (await ask([])).reply(),
    );
    assert.equal(failing, 'error partition(s) sda1 of /dev/sda changed but are in use\n');
    let called = false;
    const invalid = await serving(
      () => {
        called = true;
        return Promise.resolve([]);
      },
      async () => (await ask(['../etc'])).reply(),
    );
    assert.equal(invalid, 'error "../etc" is not a disk name\n');
    assert.equal(called, false);
  });

  it('answers a request made before it started, and removes the request', async () => {
    const pending = await ask(['sda']);
    const text = await serving(
      () => Promise.resolve([]),
      () => pending.reply(),
    );
    assert.equal(text, 'ok\n');
    assert.deepEqual(
      (await run('ls', ['-A', dir])).stdout.split('\n').filter((name) => name.endsWith('.request')),
      [],
    );
  });

  it('never writes its answer through a link the system put in place of the FIFO', async () => {
    const target = join(dir, 'host-file');
    await writeFile(target, 'untouched\n');
    const id = nextId++;
    await symlink(target, join(dir, `partprobe.${id}.reply`));
    await serving(
      () => Promise.resolve([]),
      async () => {
        await writeFile(join(dir, `partprobe.${id}.request`), 'sda\n');
        // Another request behind it is answered, so the first one has been handled by then.
        await (await ask(['sda'])).reply();
      },
    );
    assert.equal(await readFile(target, 'utf8'), 'untouched\n');
  });

  it('summarises tables as partprobe -s does', () => {
    const tables = new Map([
      ['sda', { label: 'gpt', partitions: [{ number: 1, offsetBytes: 0, sizeBytes: 1 }] }],
      ['sdb', { label: 'none', partitions: [] }],
    ]);
    assert.deepEqual(partprobeSummary(tables), ['/dev/sda: gpt partitions 1']);
  });
});
