import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BodyTooLargeError, readBoundedText } from './bounded-body.js';

/** A body of `chunks` pieces of `size` bytes that records how many were pulled. */
function streamed(chunks: number, size: number): { response: Response; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller): void {
      if (pulled === chunks) {
        controller.close();
        return;
      }
      pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  return { response: new Response(body), pulled: () => pulled };
}

describe('readBoundedText', () => {
  it('reads a body within the limit', async () => {
    assert.equal(await readBoundedText(new Response('{"ok":true}'), 100), '{"ok":true}');
    assert.equal(await readBoundedText(new Response(null), 100), '');
  });

  it('refuses a larger body without reading the rest of it', async () => {
    const { response, pulled } = streamed(1000, 1024);
    await assert.rejects(readBoundedText(response, 4096), BodyTooLargeError);
    assert.ok(pulled() < 10, `pulled ${pulled()} chunks`);
  });
});
