import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRobotError } from '../../ports/robot-errors.js';
import { parseAnswer, toRobotRescue, toRobotResetOptions, toRobotServer } from './wire-mapping.js';
import { rescueEnvelopeSchema, resetEnvelopeSchema, serverEnvelopeSchema } from './wire-schemas.js';

// Shapes as the Robot webservice docs and hrobot-go's test/response/*.json show them.
const server = {
  server_ip: '203.0.113.10',
  server_ipv6_net: '2001:db8:10:20::',
  server_number: 2345678,
  server_name: 'bm-1',
  product: 'AX52',
  dc: 'FSN1-DC14',
  traffic: 'unlimited',
  status: 'ready',
  cancelled: false,
  paid_until: '2026-10-31',
  ip: ['203.0.113.10'],
  subnet: [{ ip: '2001:db8:10:20::', mask: '64' }],
  reset: true,
  rescue: true,
};
const activeRescue = {
  server_ip: '203.0.113.10',
  server_number: 2345678,
  os: 'linux',
  arch: 64,
  active: true,
  password: 'k3Xw9pQa7Lm2',
  authorized_key: [{ key: { name: 'p', fingerprint: 'e4:47:42:71:81:62:bf:06:1c:23:fa:f3:8f:7b:6f:d0' } }],
  host_key: [],
  boot_time: null,
};

describe('robot wire mapping', () => {
  it('reads a server, also an IPv6-only one still being set up', () => {
    const full = toRobotServer(parseAnswer(serverEnvelopeSchema, { server }, 'getServer').server);
    assert.deepEqual(
      [full.ipv4, full.ipv6Network, full.status],
      ['203.0.113.10', '2001:db8:10:20::', 'ready'],
    );
    const short = { ...server, server_ip: null, status: 'in progress', reset: undefined, rescue: undefined };
    const bare = toRobotServer(parseAnswer(serverEnvelopeSchema, { server: short }, 'getServer').server);
    assert.equal('ipv4' in bare, false);
    assert.deepEqual([bare.status, bare.rescueAvailable, bare.resetAvailable], ['in process', false, false]);
  });

  it('follows the os flip between choices and the chosen system, and drops the password', () => {
    const active = parseAnswer(rescueEnvelopeSchema, { rescue: activeRescue }, 'getRescue').rescue;
    assert.equal('password' in active, false, 'never held past parsing');
    assert.deepEqual(toRobotRescue(active), {
      serverNumber: 2345678,
      active: true,
      os: 'linux',
      authorizedKeyFingerprints: ['e4:47:42:71:81:62:bf:06:1c:23:fa:f3:8f:7b:6f:d0'],
    });
    const inactive = { ...activeRescue, os: ['linux', 'vkvm'], arch: [64], active: false, password: null };
    const parsed = parseAnswer(rescueEnvelopeSchema, { rescue: { ...inactive, authorized_key: null } }, 'x');
    assert.deepEqual(toRobotRescue(parsed.rescue), {
      serverNumber: 2345678,
      active: false,
      authorizedKeyFingerprints: [],
    });
  });

  it('names the rescue host keys Robot vouches for, and counts entries it cannot read', () => {
    const host_key = [
      { key: { fingerprint: 'c1:e4:08:73:dd:f7:e9:d1:94:ab:e9:0f:28:b2:d2:ed', type: 'ED25519', size: 256 } },
      { key: { comment: 'unknown form' } },
    ];
    const parsed = parseAnswer(rescueEnvelopeSchema, { rescue: { ...activeRescue, host_key } }, 'x');
    const rescue = toRobotRescue(parsed.rescue);
    assert.deepEqual(rescue.hostKeyFingerprints, ['MD5:c1:e4:08:73:dd:f7:e9:d1:94:ab:e9:0f:28:b2:d2:ed']);
    assert.equal(rescue.unreadableHostKeys, 1);
  });

  it('keeps the known reset types and copes with an answer without server_number', () => {
    const reset = { server_ip: '203.0.113.10', type: ['sw', 'hw', 'teleport', 'man'] };
    const parsed = parseAnswer(resetEnvelopeSchema, { reset }, 'getResetOptions').reset;
    assert.deepEqual(toRobotResetOptions(parsed, 7), { serverNumber: 7, types: ['sw', 'hw', 'man'] });
  });

  it('names where an answer differs, never its content', () => {
    assert.throws(
      () => parseAnswer(rescueEnvelopeSchema, { rescue: { ...activeRescue, active: 'yes' } }, 'getRescue'),
      (error) =>
        isRobotError(error, 'ROBOT_UNEXPECTED_RESPONSE') &&
        error.message === "robot getRescue: unexpected answer from Robot (at 'rescue.active')",
    );
  });
});
