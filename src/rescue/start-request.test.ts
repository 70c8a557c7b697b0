import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRescueError } from '../ports/rescue-errors.js';
import {
  checkAttemptId,
  encodeStartRequest,
  encodeStopRequest,
  joinRootDevices,
  type StartRequest,
} from './start-request.js';

const valid: StartRequest = {
  attemptId: 'attempt-1',
  stagingName: 'staged-0123456789abcdef',
  imageUrl: 'oci://example.com/yourimage:v1',
  machineName: 'my-md-bm-kh57r-5z2v8-zdfc9',
  rootDevices: ['sda', 'sdb'],
  registryToken: 'token',
};

function rejectsInput(run: () => unknown, field: RegExp): void {
  assert.throws(run, (error) => isRescueError(error, 'RESCUE_INVALID_INPUT') && field.test(error.message));
}

describe('root devices', () => {
  const accepted: [readonly string[], string][] = [
    [['sda'], 'sda'],
    [['sda', 'sdb'], 'sda sdb'],
    [['nvme0n1', 'nvme1n1'], 'nvme0n1 nvme1n1'],
    [['eui.0025388801b4dff2'], 'eui.0025388801b4dff2'],
    [['$(touch${IFS}x)', '`id`;|&ü'], '$(touch${IFS}x) `id`;|&ü'],
  ];
  for (const [devices, joined] of accepted) {
    it(`joins ${JSON.stringify(devices)} into ${JSON.stringify(joined)}`, () => {
      assert.equal(joinRootDevices(devices), joined);
    });
  }

  const rejected: [readonly string[], RegExp][] = [
    [[], /rootDevices: at least one/],
    [[''], /rootDevices\[0\]/],
    [['/dev/sda'], /rootDevices\[0\] "\/dev\/sda"/],
    [['sda', 'sd b'], /rootDevices\[1\]/],
    [['sda\tb'], /rootDevices\[0\]/],
    [['sda\n'], /rootDevices\[0\]/],
    [['sda\0'], /rootDevices\[0\]/],
  ];
  for (const [devices, message] of rejected) {
    it(`rejects ${JSON.stringify(devices)}`, () => {
      rejectsInput(() => joinRootDevices(devices), message);
    });
  }
});

describe('the start request', () => {
  it('is NUL-terminated fields: version, attempt, staging, URL, machine, devices, token', () => {
    const fields = encodeStartRequest({ ...valid, imageUrl: "a'b\nc ü" })
      .toString('utf8')
      .split('\0');
    assert.deepEqual(fields, [
      '1',
      'attempt-1',
      'staged-0123456789abcdef',
      "a'b\nc ü",
      valid.machineName,
      'sda sdb',
      'token',
      '',
    ]);
  });

  it('carries an empty token as an empty field (the variable is still set, as with CAPH)', () => {
    assert.ok(
      encodeStartRequest({ ...valid, registryToken: '' })
        .toString('utf8')
        .endsWith('sda sdb\0\0'),
    );
  });

  const rejected: [Partial<StartRequest>, RegExp][] = [
    [{ attemptId: '' }, /attemptId/],
    [{ attemptId: '-x' }, /attemptId/],
    [{ attemptId: 'a/b' }, /attemptId/],
    [{ attemptId: 'a'.repeat(64) }, /attemptId/],
    [{ stagingName: 'staged-../../x' }, /stagingName/],
    [{ imageUrl: '' }, /imageUrl/],
    [{ imageUrl: 'oci://x\0y' }, /imageUrl/],
    [{ machineName: '' }, /machineName/],
    [{ rootDevices: ['sda/1'] }, /rootDevices\[0\]/],
  ];
  for (const [change, field] of rejected) {
    it(`rejects ${JSON.stringify(change)}`, () => {
      rejectsInput(() => encodeStartRequest({ ...valid, ...change }), field);
    });
  }

  it('names a bad token without showing it', () => {
    assert.throws(
      () => encodeStartRequest({ ...valid, registryToken: 'secret\0value' }),
      (error) => isRescueError(error, 'RESCUE_INVALID_INPUT') && !error.message.includes('secret'),
    );
  });

  it('accepts 63-character attempt ids and refuses 64', () => {
    const longest = `a${'.-_9Z'.repeat(12)}bc`;
    assert.equal(longest.length, 63);
    assert.doesNotThrow(() => checkAttemptId(longest));
    assert.throws(
      () => checkAttemptId(`${longest}d`),
      (error) => isRescueError(error, 'RESCUE_INVALID_INPUT') && error.message.includes('attemptId'),
    );
  });
});

describe('the stop request', () => {
  it('carries the attempt and the grace period', () => {
    assert.equal(encodeStopRequest('a', 5000).toString(), '1\0a\x005000\0');
  });

  for (const grace of [-1, 1.5, 600_001, Number.NaN]) {
    it(`rejects a grace period of ${grace}`, () => {
      rejectsInput(() => encodeStopRequest('a', grace), /graceMs/);
    });
  }
});
