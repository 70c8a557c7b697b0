import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grantAccess, parseScopes } from './token-access.js';

describe('parseScopes', () => {
  it('splits type, name and actions, with colons allowed in the name', () => {
    assert.deepEqual(parseScopes(['repository:127.0.0.1:5000/team/image:pull,push']), [
      { type: 'repository', name: '127.0.0.1:5000/team/image', actions: ['pull', 'push'] },
    ]);
  });

  it('reads several scopes from repeated values and from space-separated lists', () => {
    const scopes = parseScopes(['repository:a:pull repository:b:push', 'registry:catalog:*']);
    assert.deepEqual(
      scopes.map((scope) => `${scope.type}|${scope.name}|${scope.actions.join(',')}`),
      ['repository|a|pull', 'repository|b|push', 'registry|catalog|*'],
    );
  });

  it('drops malformed scopes', () => {
    assert.deepEqual(
      parseScopes(['', 'repository', 'repository:name', ':name:pull', 'repository::pull']),
      [],
    );
  });
});

describe('grantAccess', () => {
  it('grants the requested actions the user is allowed, per repository', () => {
    const scopes = parseScopes(['repository:a:pull,push', 'repository:a:*', 'repository:b:pull']);
    assert.deepEqual(grantAccess(scopes, ['pull', 'push']), [
      { type: 'repository', name: 'a', actions: ['pull', 'push'] },
      { type: 'repository', name: 'b', actions: ['pull'] },
    ]);
  });

  it('leaves out repositories without any allowed action and other resource types', () => {
    const scopes = parseScopes(['repository:a:push', 'registry:catalog:*']);
    assert.deepEqual(grantAccess(scopes, ['pull', '*']), []);
  });

  it('grants nothing when nothing was asked (the token for GET /v2/)', () => {
    assert.deepEqual(grantAccess([], ['pull']), []);
  });
});
