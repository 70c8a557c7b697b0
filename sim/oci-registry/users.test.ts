import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_USERNAME, resolveUsers } from './users.js';

describe('resolveUsers', () => {
  it('makes one user with a random password when none are given', () => {
    const [first, ...rest] = resolveUsers('htpasswd', undefined);
    assert.equal(rest.length, 0);
    assert.equal(first?.username, DEFAULT_USERNAME);
    assert.match(first.password, /^[\w-]{24}$/);
    assert.notEqual(resolveUsers('token', undefined)[0]?.password, first.password);
  });

  it('defaults token users to pull and push, and htpasswd users to everything', () => {
    const user = { username: 'alice', password: 'pw' };
    assert.deepEqual(resolveUsers('token', [user])[0]?.actions, ['pull', 'push']);
    assert.deepEqual(resolveUsers('htpasswd', [user])[0]?.actions, ['pull', 'push', '*']);
  });

  it('has no users without auth, and refuses users given for auth none', () => {
    assert.deepEqual(resolveUsers('none', undefined), []);
    assert.throws(
      () => resolveUsers('none', [{ username: 'a', password: 'b' }]),
      /users: not used with auth 'none'/,
    );
  });

  it('names the field for bad usernames', () => {
    assert.throws(
      () => resolveUsers('token', [{ username: 'a:b', password: 'pw' }]),
      /users\[0\]\.username "a:b"/,
    );
  });

  it('rejects bad passwords without showing them', () => {
    const secret = 'line1\nline2';
    assert.throws(
      () => resolveUsers('token', [{ username: 'a', password: secret }]),
      (error: Error) =>
        error.message.includes('users[0].password (value not shown)') && !error.message.includes('line1'),
    );
    assert.throws(() => resolveUsers('token', [{ username: 'a', password: 'x'.repeat(73) }]), /1–72 bytes/);
  });

  it('rejects duplicate users, empty lists and restricted actions with htpasswd', () => {
    const user = { username: 'a', password: 'b' };
    assert.throws(() => resolveUsers('token', [user, user]), /users\[1\]\.username "a" appears twice/);
    assert.throws(() => resolveUsers('token', []), /at least one user/);
    assert.throws(
      () => resolveUsers('htpasswd', [{ ...user, actions: ['pull'] }]),
      /users\[0\]\.actions is only enforced with auth 'token'/,
    );
  });
});
