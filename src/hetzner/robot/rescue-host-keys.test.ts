import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRescueHostKeys } from './rescue-host-keys.js';

// A throwaway key; `ssh-keygen -lf` and `ssh-keygen -l -E md5 -f` print the two fingerprints.
const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMMKWLa/mdbFUC5tSSr7N/APkSx2ZklWL7eCn8X8WSiZ test';
const sha256 = 'SHA256:E7opqXC8YqTfWmN3/mTqLRkzGEFPxYsDvhcWlHXE77M';
const md5 = '4c:57:40:fc:bd:92:a9:24:b0:26:7f:5a:c3:10:63:97';

describe("Robot's rescue host_key list", () => {
  it('is usually empty: nothing vouched for, nothing unreadable', () => {
    assert.deepEqual(readRescueHostKeys([]), { fingerprints: [], unreadable: 0 });
    assert.deepEqual(readRescueHostKeys(undefined), { fingerprints: [], unreadable: 0 });
    assert.deepEqual(readRescueHostKeys(null), { fingerprints: [], unreadable: 0 });
  });

  it('reads Robot’s key wrapper with an MD5 fingerprint, as its order transactions show host keys', () => {
    const entry = { key: { fingerprint: md5.toUpperCase(), type: 'ED25519', size: 256 } };
    assert.deepEqual(readRescueHostKeys([entry, entry]), { fingerprints: [`MD5:${md5}`], unreadable: 0 });
  });

  it('reads plain strings: MD5 and SHA256 fingerprints and OpenSSH public key lines', () => {
    assert.deepEqual(readRescueHostKeys([`MD5:${md5}`, `${sha256}=`, publicKey]), {
      fingerprints: [`MD5:${md5}`, sha256],
      unreadable: 0,
    });
  });

  it('counts every other form as unreadable, so it can never vouch for a key', () => {
    const odd = [
      42,
      { fingerprint: md5 },
      { key: { fingerprint: 7 } },
      { key: null },
      'md5 4c57',
      'ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIMMKWLa/mdbFUC5tSSr7N/APkSx2ZklWL7eCn8X8WSiZ',
      `SHA256:${'A'.repeat(42)}`,
    ];
    assert.deepEqual(readRescueHostKeys(odd), { fingerprints: [], unreadable: odd.length });
    assert.deepEqual(readRescueHostKeys({ key: md5 }), { fingerprints: [], unreadable: 1 });
  });
});
