import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outputMessageMaxChars, parseOutputJson } from './output-json.js';

describe('output.json', () => {
  // CAPH's unit cases, plus what a tolerant reader must survive.
  const messages: [string, string][] = [
    ['{"message":"downloading image"}', 'downloading image'],
    ['{"status":"Succeeded","message":"done","percentOfTimeout":42}', 'done'],
    ['{"status":"Succeeded"}', ''],
    ['{}', ''],
    ['  {"message":"padded"}\n', 'padded'],
    ['{"message":42}', ''],
    ['{"message":"line one\\nline\\ttwo\\u0007"}', 'line one line two'],
  ];
  for (const [text, message] of messages) {
    it(`reads ${JSON.stringify(message)} from ${text.trim()}`, () => {
      assert.deepEqual(parseOutputJson(text), { status: 'message', message });
    });
  }

  const unreadable: [string, RegExp][] = [
    ['', /empty/],
    ['""', /does not end with/],
    ['{"message":', /does not end with/],
    ['"just a string"', /does not end with/],
    ['{"message": }', /not valid JSON/],
    ['[{"message":"x"}]', /does not end with/],
    ['null}', /not valid JSON/],
  ];
  for (const [text, problem] of unreadable) {
    it(`reports ${JSON.stringify(text)} as unreadable without throwing`, () => {
      const reading = parseOutputJson(text);
      assert.ok(reading.status === 'unreadable', JSON.stringify(reading));
      assert.match(reading.problem, problem);
    });
  }

  it('caps a long message', () => {
    const reading = parseOutputJson(JSON.stringify({ message: 'x'.repeat(100_000) }));
    assert.equal(reading.status === 'message' ? reading.message.length : 0, outputMessageMaxChars);
  });
});
