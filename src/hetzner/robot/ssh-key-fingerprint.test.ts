import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRobotError } from '../../ports/robot-errors.js';
import { sshKeyFingerprint } from './ssh-key-fingerprint.js';

// Generated with ssh-keygen; expected values from `ssh-keygen -l -E md5 -f key.pub`.
const ed25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVoGQY7PiZaOis8PbLGqOkye9W6IVh7F1izjZ9y3U0e test';
const rsa =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCz88pJVLfnuWHbXhCieQ8fXvOFfpvqy/Iu+2Lh3nob1Mfp8YoYdFZF5OW6pWRTivuS4RgZVpAWteLta7ABDxmCAIgHTsczGfVBYGoxhSUEXfHEJvOvooptC1tOlTTXDVwq128qOp0r/xHlbWNLmIUL8HTHdVtrdr92jaE9H4BXrQ== r';

describe('robot SSH key fingerprint', () => {
  it('is the MD5 colon hex ssh-keygen -E md5 prints, whatever the comment', () => {
    assert.equal(sshKeyFingerprint(ed25519), 'be:21:58:66:76:a4:67:d1:61:bc:ac:c1:61:88:0a:d3');
    assert.equal(
      sshKeyFingerprint(`  ${rsa.replace(' r', '')}\n`),
      'a0:16:93:4d:41:ce:61:cc:1c:e9:ec:5a:e1:14:72:87',
    );
  });

  it('refuses what is not a public key line without echoing it', () => {
    const secretish = '-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA';
    for (const bad of [
      '',
      'ssh-ed25519',
      'ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGVo',
      secretish,
      'ssh-ed25519 !!!',
    ]) {
      assert.throws(
        () => sshKeyFingerprint(bad),
        (error) => isRobotError(error, 'ROBOT_INVALID_INPUT') && !error.message.includes('b3BlbnNza'),
        bad,
      );
    }
  });
});
