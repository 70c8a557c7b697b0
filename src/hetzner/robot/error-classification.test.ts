import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RobotError } from '../../ports/robot-errors.js';
import {
  classifyAnswer,
  classifyNetworkError,
  networkCode,
  redacted,
  statedLimit,
} from './error-classification.js';
import type { WireError } from './wire-schemas.js';

function answer(status: number, apiError?: Partial<WireError> & { code: string }): RobotError {
  return classifyAnswer({
    operation: 'getServer',
    status,
    ...(apiError === undefined ? {} : { apiError: { message: `says ${apiError.code}`, ...apiError } }),
  });
}

describe('robot error classification', () => {
  it('maps the documented codes to the port codes and keeps the API code', () => {
    const cases: [number, string, string, boolean][] = [
      [401, 'UNAUTHORIZED', 'ROBOT_UNAUTHORIZED', false],
      [403, 'RATE_LIMIT_EXCEEDED', 'ROBOT_RATE_LIMITED', true],
      [404, 'SERVER_NOT_FOUND', 'ROBOT_NOT_FOUND', false],
      [404, 'NOT_FOUND', 'ROBOT_NOT_FOUND', false],
      [404, 'RESET_NOT_AVAILABLE', 'ROBOT_UNSUPPORTED', false],
      [404, 'BOOT_NOT_AVAILABLE', 'ROBOT_UNSUPPORTED', false],
      [400, 'INVALID_INPUT', 'ROBOT_INVALID_INPUT', false],
      [409, 'KEY_ALREADY_EXISTS', 'ROBOT_CONFLICT', false],
      [409, 'BOOT_ALREADY_ENABLED', 'ROBOT_CONFLICT', false],
      [409, 'RESET_MANUAL_ACTIVE', 'ROBOT_CONFLICT', true],
      [409, 'CONFLICT', 'ROBOT_CONFLICT', false],
      [500, 'INTERNAL_ERROR', 'ROBOT_UNAVAILABLE', true],
      [500, 'RESET_FAILED', 'ROBOT_UNAVAILABLE', true],
      [500, 'BOOT_ACTIVATION_FAILED', 'ROBOT_UNAVAILABLE', true],
    ];
    for (const [status, apiCode, code, retryable] of cases) {
      const error = answer(status, { code: apiCode, status });
      assert.deepEqual(
        [error.code, error.apiCode, error.httpStatus, error.retryable],
        [code, apiCode, status, retryable],
        apiCode,
      );
      assert.equal(
        error.message.startsWith(`robot getServer failed: says ${apiCode} (${apiCode}, HTTP ${status})`),
        true,
      );
    }
  });

  it('goes by the status when there is no envelope or an unknown code', () => {
    const cases: [number, string | undefined, string][] = [
      [503, undefined, 'ROBOT_UNAVAILABLE'],
      [502, undefined, 'ROBOT_UNAVAILABLE'],
      [401, undefined, 'ROBOT_UNAUTHORIZED'],
      [403, undefined, 'ROBOT_UNAUTHORIZED'],
      [404, 'SOMETHING_NEW', 'ROBOT_NOT_FOUND'],
      [418, undefined, 'ROBOT_INVALID_INPUT'],
      [302, undefined, 'ROBOT_UNEXPECTED_RESPONSE'],
    ];
    for (const [status, apiCode, code] of cases) {
      const error = answer(status, apiCode === undefined ? undefined : { code: apiCode });
      assert.equal(error.code, code, `${status} ${apiCode ?? ''}`);
      assert.equal(error.apiCode, apiCode);
    }
    assert.match(
      answer(503).message,
      /^robot getServer failed: HTTP 503 without an error body \(HTTP 503\)$/,
    );
  });

  it('names missing and invalid fields, and points at the credentials on 401', () => {
    const invalid = answer(400, {
      code: 'INVALID_INPUT',
      message: 'invalid input',
      missing: ['os'],
      invalid: ['type'],
    });
    assert.match(invalid.message, /; missing: os; invalid: type$/);
    assert.match(
      answer(401, { code: 'UNAUTHORIZED' }).message,
      /check the Robot webservice user and password$/,
    );
  });

  it('reads the stated limit under either spelling', () => {
    assert.deepEqual(statedLimit({ code: 'RATE_LIMIT_EXCEEDED', max_requests: 50, interval: 3600 }), {
      requests: 50,
      intervalMs: 3_600_000,
    });
    assert.deepEqual(statedLimit({ code: 'RATE_LIMIT_EXCEEDED', max_request: 200, interval: 60 }), {
      requests: 200,
      intervalMs: 60_000,
    });
    assert.equal(statedLimit({ code: 'RATE_LIMIT_EXCEEDED' }), undefined);
    assert.equal(statedLimit(undefined), undefined);
  });

  it('classifies network failures as unavailable with the socket code, or a timeout', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    assert.equal(networkCode(reset), 'ECONNRESET');
    const error = classifyNetworkError('reset', reset, undefined);
    assert.deepEqual([error.code, error.retryable, error.apiCode], ['ROBOT_UNAVAILABLE', true, undefined]);
    assert.equal(error.message, 'robot reset failed: network error (ECONNRESET)');
    assert.equal(error.cause, reset);
    assert.equal(
      classifyNetworkError('reset', new Error('aborted'), 30_000).message,
      'robot reset failed: no answer within 30000 ms',
    );
  });

  it('redacts every secret an answer might echo, keeping code and status', () => {
    const password = 'hunter2-very-secret';
    const echoed = answer(400, { code: 'INVALID_INPUT', message: `bad password ${password} for #ws+user` });
    const clean = redacted(echoed, [password, '#ws+user']);
    assert.equal(clean.message.includes(password), false);
    assert.equal(clean.message.includes('#ws+user'), false);
    assert.deepEqual(
      [clean.code, clean.apiCode, clean.httpStatus],
      ['ROBOT_INVALID_INPUT', 'INVALID_INPUT', 400],
    );
    const untouched = answer(404, { code: 'SERVER_NOT_FOUND' });
    assert.equal(redacted(untouched, [password]), untouched);
  });

  it('cuts a long message only after redacting, so no part of a secret at the cut survives', () => {
    const password = 'hunter2-very-secret';
    for (const at of [180, 185, 190, 195, 200, 560, 570, 580, 590, 600]) {
      const echoed = answer(400, {
        code: 'INVALID_INPUT',
        message: `${'x'.repeat(at)}${password}${'y'.repeat(400)}`,
      });
      const clean = redacted(echoed, [password]);
      assert.ok(clean.message.length <= 600, `${clean.message.length} characters`);
      for (let length = 4; length <= password.length; length++) {
        assert.ok(
          !clean.message.includes(password.slice(0, length)),
          `a prefix of the secret survives at ${at}`,
        );
      }
    }
  });
});
