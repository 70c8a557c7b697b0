import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.js';

function capture(): { lines: () => Record<string, unknown>[]; write: (text: string) => void } {
  const chunks: string[] = [];
  return {
    write: (text) => void chunks.push(text),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level names, ISO time, component and child keys', () => {
    const out = capture();
    const log = createLogger({ component: 'test', destination: out });
    log.child({ controller: 'hcloudmachine', reconcileID: 'r-1', HCloudMachine: 'ns/m' }).info('Reconciling');
    const line = out.lines()[0] ?? assert.fail('no log line');
    assert.equal(line.level, 'info');
    assert.equal(line.component, 'test');
    assert.equal(line.controller, 'hcloudmachine');
    assert.equal(line.reconcileID, 'r-1');
    assert.equal(line.HCloudMachine, 'ns/m');
    assert.equal(line.msg, 'Reconciling');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts messages with the caller redactor and secret fields by name', () => {
    const out = capture();
    const log = createLogger({ destination: out, redact: (text) => text.replaceAll('s3cr3t', '[REDACTED]') });
    log.warn({ token: 's3cr3t', headers: { authorization: 'Bearer s3cr3t' } }, 'token s3cr3t rejected');
    const line = out.lines()[0] ?? assert.fail('no log line');
    assert.equal(line.msg, 'token [REDACTED] rejected');
    assert.equal(line.token, '[REDACTED]');
    assert.deepEqual(line.headers, { authorization: '[REDACTED]' });
  });

  it('redacts strings inside logged objects and errors too, their causes and stacks included', () => {
    const out = capture();
    const log = createLogger({ destination: out, redact: (text) => text.replaceAll('s3cr3t', '[REDACTED]') });
    const cause = new Error('the API echoed s3cr3t');
    log.error(
      { err: new Error('call failed with s3cr3t', { cause }), detail: { note: ['s3cr3t'] } },
      'Failed',
    );
    log.error({ err: 'plain s3cr3t message', code: 'X' }, 'Reconciler failed; retrying');
    const text = out
      .lines()
      .map((line) => JSON.stringify(line))
      .join('\n');
    assert.ok(!text.includes('s3cr3t'), text);
    assert.match(text, /call failed with \[REDACTED\]/);
    assert.match(text, /plain \[REDACTED\] message/);
  });
});
