import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyNetworkError, classifyResponse, fieldNamesOf, portCode } from './error-classification.js';
import { retryAfterFromHeaders } from './rate-limit-headers.js';
import { backoffMs, isRetried } from './retry-policy.js';

const now = 1_800_000_000_000;

function failed(
  status: number,
  code?: string,
  headers: Record<string, string> = {},
): ReturnType<typeof classifyResponse> {
  return classifyResponse({
    operation: 'powerOn',
    status,
    headers: new Headers(headers),
    now,
    ...(code === undefined ? {} : { apiError: { code, message: `the API says ${code}` } }),
  });
}

describe('hcloud error classification', () => {
  it('keeps the field names an invalid_input names, and nothing else of the details', () => {
    const details = { fields: [{ name: 'server_type', messages: ['server type not found'] }] };
    const error = classifyResponse({
      operation: 'createServer',
      status: 422,
      headers: new Headers(),
      now,
      apiError: {
        code: 'invalid_input',
        message: "invalid input in field 'server_type'",
        fields: fieldNamesOf(details) ?? [],
      },
    });
    assert.equal(error.code, 'invalid_input');
    assert.deepEqual(error.fields, ['server_type']);
    assert.equal(fieldNamesOf({ limits: [{ name: 'project_limit' }] }), undefined);
    assert.equal(fieldNamesOf(null), undefined);
  });

  it('passes the port codes through with the operation in the message', () => {
    const cases: [number, string][] = [
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not_found'],
      [409, 'uniqueness_error'],
      [409, 'conflict'],
      [412, 'resource_unavailable'],
      [422, 'invalid_input'],
      [423, 'locked'],
      [423, 'protected'],
      [403, 'resource_limit_exceeded'],
      [422, 'placement_error'],
      [500, 'server_error'],
      [503, 'unavailable'],
      [504, 'timeout'],
    ];
    for (const [status, code] of cases) {
      const error = failed(status, code, { 'X-Correlation-Id': 'abc' });
      assert.equal(error.code, code);
      assert.equal(error.apiCode, code);
      assert.match(error.message, /^hcloud powerOn failed: the API says/);
      assert.match(error.message, new RegExp(`\\(${code}, HTTP ${status}, correlation id abc\\)`));
    }
  });

  it('maps the API aliases and keeps unknown codes in apiCode', () => {
    assert.equal(portCode('token_readonly'), 'unauthorized');
    assert.equal(portCode('limit_reached'), 'rate_limit_exceeded');
    assert.equal(portCode('resource_locked'), 'locked');
    assert.equal(portCode('json_error'), 'invalid_input');
    const gateway = failed(502, 'bad_gateway');
    assert.deepEqual(
      [gateway.code, gateway.apiCode, gateway.retryable],
      ['server_error', 'bad_gateway', true],
    );
    const other = failed(422, 'primary_ip_assigned');
    assert.deepEqual([other.code, other.apiCode, other.retryable], ['unknown', 'primary_ip_assigned', false]);
  });

  it('classifies bodiless answers by status', () => {
    assert.equal(failed(423).code, 'locked');
    assert.equal(failed(429).code, 'rate_limit_exceeded');
    assert.deepEqual([failed(502).code, failed(502).apiCode], ['server_error', 'bad_gateway']);
    assert.equal(failed(504).code, 'timeout');
    assert.equal(failed(418).code, 'invalid_input');
    assert.equal(failed(599).code, 'unknown');
    assert.match(failed(503).message, /HTTP 503 without an error body/);
  });

  it('derives retry-after of a 429 from RateLimit-Reset', () => {
    const headers = {
      'RateLimit-Limit': '3600',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': String(now / 1000 + 3600),
    };
    const error = failed(429, 'rate_limit_exceeded', headers);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 1000, 'one request comes back per second at 3600/h');
    // A project at 60/h (one request a minute) that is 10 short of full in 600 s.
    const slow = {
      'RateLimit-Limit': '60',
      'RateLimit-Remaining': '50',
      'RateLimit-Reset': String(now / 1000 + 600),
    };
    assert.equal(retryAfterFromHeaders(new Headers(slow), now), 60_000);
    assert.equal(retryAfterFromHeaders(new Headers(), now), 1000, 'no headers: one second');
  });

  it('tells timeouts from other network errors and never carries more than the operation', () => {
    const timeout = classifyNetworkError('getServer', new Error('aborted'), true);
    assert.deepEqual([timeout.code, timeout.retryable], ['timeout', true]);
    const refused = classifyNetworkError(
      'getServer',
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      false,
    );
    assert.equal(refused.code, 'network_error');
    assert.equal(refused.message, 'hcloud getServer failed: network error (ECONNREFUSED)');
  });
});

describe('hcloud retry policy (hcloud-go)', () => {
  it('retries conflict, rate_limit_exceeded, bad_gateway, timeout, bodiless 502/504 and network timeouts', () => {
    for (const apiCode of ['conflict', 'rate_limit_exceeded', 'bad_gateway', 'timeout'])
      assert.equal(isRetried({ kind: 'response', status: 500, apiCode }), true, apiCode);
    assert.equal(isRetried({ kind: 'response', status: 502 }), true);
    assert.equal(isRetried({ kind: 'response', status: 504 }), true);
    assert.equal(isRetried({ kind: 'network', timedOut: true }), true);
  });

  it('never retries locked, unavailable, bodiless 409/423/429 or connection failures', () => {
    for (const apiCode of ['locked', 'unavailable', 'server_error', 'not_found', 'uniqueness_error'])
      assert.equal(isRetried({ kind: 'response', status: 423, apiCode }), false, apiCode);
    for (const status of [409, 423, 429, 503]) assert.equal(isRetried({ kind: 'response', status }), false);
    assert.equal(isRetried({ kind: 'network', timedOut: false }), false);
  });

  it('backs off exponentially from 1 s with full jitter, capped at 60 s', () => {
    assert.equal(
      backoffMs(0, () => 0.99),
      1000,
    );
    assert.equal(
      backoffMs(1, () => 0),
      1000,
    );
    assert.equal(
      backoffMs(1, () => 0.5),
      1500,
    );
    assert.equal(
      backoffMs(4, () => 0.5),
      8500,
    );
    assert.equal(
      backoffMs(10, () => 1),
      60_000,
    );
  });
});
