import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRobotError } from '../../ports/robot-errors.js';
import { fillPath, robotEndpoints } from './robot-endpoints.js';
import { checkedEndpoint, rateLimitedError } from './transport-guards.js';

describe('robot transport guards', () => {
  it('takes a plain http(s) root and refuses one that carries credentials, without echoing it', () => {
    assert.equal(checkedEndpoint('https://robot-ws.your-server.de/'), 'https://robot-ws.your-server.de');
    assert.equal(checkedEndpoint('http://127.0.0.1:8080/robot//'), 'http://127.0.0.1:8080/robot');
    for (const bad of [
      'https://u:s3cret-pw@robot.test',
      'https://s3cret-pw@robot.test',
      'ftp://robot.test',
      'no url',
      'https://robot.test/?s3cret-pw',
    ]) {
      assert.throws(
        () => checkedEndpoint(bad),
        (error) => isRobotError(error, 'ROBOT_INVALID_INPUT') && !error.message.includes('s3cret-pw'),
        bad,
      );
    }
  });

  it('fills paths only with positive integers and colon-hex fingerprints', () => {
    assert.equal(fillPath('/boot/{n}/rescue', { n: 321 }), '/boot/321/rescue');
    assert.equal(fillPath('/key/{fingerprint}', { fingerprint: 'e4:47:42' }), '/key/e4:47:42');
    const bad = [{ n: 0 }, { n: -1 }, { n: 1.5 }, { n: Number.NaN }, {}];
    for (const params of bad)
      assert.throws(
        () => fillPath('/server/{n}', params),
        (error) => isRobotError(error, 'ROBOT_INVALID_INPUT'),
      );
    for (const fingerprint of ['../server', 'E4:47', 'e4:47/x', ''])
      assert.throws(
        () => fillPath('/key/{fingerprint}', { fingerprint }),
        (error) => isRobotError(error, 'ROBOT_INVALID_INPUT'),
      );
  });

  it('says whether Robot or the budget refused, and when to come back', () => {
    const local = rateLimitedError('reset', robotEndpoints.reset, 71_500, undefined);
    assert.deepEqual(
      [local.code, local.retryAfterMs, local.apiCode],
      ['ROBOT_RATE_LIMITED', 71_500, undefined],
    );
    assert.equal(
      local.message,
      'robot reset not sent: the hourly request limit of POST /reset/{n} is used up; next request allowed in 72 s',
    );
    const answered = rateLimitedError('reset', robotEndpoints.reset, 1000, local);
    assert.deepEqual([answered.apiCode, answered.httpStatus], ['RATE_LIMIT_EXCEEDED', 403]);
  });
});
