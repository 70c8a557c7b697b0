import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RescueError, type RescueErrorCode } from '../ports/rescue-errors.js';
import { classifyConnectError, connectionLost } from './classify-error.js';

function wireError(message: string, fields: Record<string, string>): Error {
  return Object.assign(new Error(message), fields);
}

describe('SSH error classification', () => {
  const cases: [string, Error, RescueErrorCode, boolean][] = [
    [
      'connection refused',
      wireError('connect ECONNREFUSED', { code: 'ECONNREFUSED', level: 'client-socket' }),
      'SSH_REFUSED',
      true,
    ],
    [
      'no route',
      wireError('connect EHOSTUNREACH', { code: 'EHOSTUNREACH', level: 'client-socket' }),
      'SSH_UNREACHABLE',
      true,
    ],
    [
      'network down',
      wireError('connect ENETUNREACH', { code: 'ENETUNREACH', level: 'client-socket' }),
      'SSH_UNREACHABLE',
      true,
    ],
    [
      'unknown name',
      wireError('getaddrinfo ENOTFOUND x', { code: 'ENOTFOUND', level: 'client-socket' }),
      'SSH_UNREACHABLE',
      true,
    ],
    [
      'handshake timeout',
      wireError('Timed out while waiting for handshake', { level: 'client-timeout' }),
      'SSH_TIMEOUT',
      true,
    ],
    [
      'TCP timeout',
      wireError('connect ETIMEDOUT', { code: 'ETIMEDOUT', level: 'client-socket' }),
      'SSH_TIMEOUT',
      true,
    ],
    [
      'key not accepted',
      wireError('All configured authentication methods failed', { level: 'client-authentication' }),
      'SSH_AUTH_FAILED',
      true,
    ],
    [
      'reset',
      wireError('read ECONNRESET', { code: 'ECONNRESET', level: 'client-socket' }),
      'SSH_CONNECTION_LOST',
      true,
    ],
    [
      'hang-up before handshake',
      wireError('Connection lost before handshake', { level: 'protocol' }),
      'SSH_CONNECTION_LOST',
      true,
    ],
  ];
  for (const [name, error, code, retryable] of cases) {
    it(`${name} → ${code}`, () => {
      const classified = classifyConnectError(error, 'root@127.0.0.1:22');
      assert.equal(classified.code, code);
      assert.equal(classified.retryable, retryable);
      assert.match(classified.message, /^connecting to root@127\.0\.0\.1:22 failed: /);
      assert.equal(classified.cause, error);
    });
  }

  it('keeps a RescueError as it is', () => {
    const mismatch = new RescueError('SSH_HOST_KEY_MISMATCH', 'pinned');
    assert.equal(classifyConnectError(mismatch, 'x'), mismatch);
    assert.equal(mismatch.retryable, false);
  });

  it('reports a broken session as lost', () => {
    const lost = connectionLost(wireError('Keepalive timeout', { level: 'client-timeout' }), 'root@h:22');
    assert.equal(lost.code, 'SSH_CONNECTION_LOST');
    assert.match(lost.message, /Keepalive timeout/);
  });
});
