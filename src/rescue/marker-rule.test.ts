import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastLineVerdict, type MarkerVerdict, type ReadAt } from './marker-rule.js';

function reader(data: Buffer): ReadAt {
  return (position, length) => Promise.resolve(data.subarray(position, position + length));
}

async function verdict(text: string, chunkBytes?: number): Promise<MarkerVerdict> {
  const data = Buffer.from(text);
  return lastLineVerdict(reader(data), data.length, chunkBytes);
}

describe('the IMAGE_URL_DONE rule', () => {
  const cases: [string, string, MarkerVerdict][] = [
    ['marker as the only line', 'IMAGE_URL_DONE\n', 'marker-last'],
    ['marker last, no final newline', 'a\nb\nIMAGE_URL_DONE', 'marker-last'],
    ['marker anywhere in the last line', 'x\nall good: IMAGE_URL_DONE (42 s)\n', 'marker-last'],
    ['marker last with CRLF', 'x\r\nIMAGE_URL_DONE\r\n', 'marker-last'],
    ['empty output', '', 'marker-missing'],
    ['only a newline', '\n', 'marker-missing'],
    ['no marker', 'downloading\nwriting\n', 'marker-missing'],
    ['lower case marker', 'image_url_done\n', 'marker-missing'],
    ['marker followed by a trailing empty line', 'IMAGE_URL_DONE\n\n', 'output-after-marker'],
    ['marker followed by another line', 'IMAGE_URL_DONE\nsyncing\n', 'output-after-marker'],
    ['marker split over two lines', 'IMAGE_URL\n_DONE\n', 'marker-missing'],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name} → ${expected}`, async () => {
      assert.equal(await verdict(text), expected);
    });
  }

  it('finds the marker at the start of a last line far longer than one chunk', async () => {
    assert.equal(await verdict(`x\nIMAGE_URL_DONE${'.'.repeat(1000)}\n`, 16), 'marker-last');
  });

  it('finds a marker that straddles two chunks of a long last line', async () => {
    for (let shift = 0; shift < 16; shift++) {
      const text = `x\n${'.'.repeat(shift)}IMAGE_URL_DONE${'.'.repeat(40)}`;
      assert.equal(await verdict(text, 8), 'marker-last', `shift ${shift}`);
    }
  });

  it('does not take a marker from the line before a long last line', async () => {
    assert.equal(await verdict(`IMAGE_URL_DONE\n${'.'.repeat(100)}\n`, 16), 'marker-missing');
  });

  it('reads a bounded amount however long the output is', async () => {
    const data = Buffer.from(`${'line\n'.repeat(200_000)}IMAGE_URL_DONE\n`);
    let bytesRead = 0;
    const counting: ReadAt = (position, length) => {
      bytesRead += length;
      return reader(data)(position, length);
    };
    assert.equal(await lastLineVerdict(counting, data.length, 4096), 'marker-last');
    assert.ok(bytesRead <= 4096 + 1, `read ${bytesRead} bytes`);
  });
});
