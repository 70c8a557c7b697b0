import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { registryConfigYaml, type RegistryConfigInput } from './registry-config.js';

const base: RegistryConfigInput = {
  port: 5123,
  storage: { kind: 'filesystem', rootDirectory: '/tmp/r/data' },
  httpSecret: 'secret',
  auth: { mode: 'none' },
};

function config(input: Partial<RegistryConfigInput>): Record<string, Record<string, unknown>> {
  return parse(registryConfigYaml({ ...base, ...input })) as Record<string, Record<string, unknown>>;
}

describe('registryConfigYaml', () => {
  it('listens on loopback only, with filesystem storage and no auth section for auth none', () => {
    const parsed = config({});
    assert.equal(parsed.version, 0.1);
    assert.equal(parsed.http?.addr, '127.0.0.1:5123');
    assert.deepEqual(parsed.storage?.filesystem, { rootdirectory: '/tmp/r/data' });
    assert.equal(parsed.auth, undefined);
  });

  it('supports in-memory storage', () => {
    const parsed = config({ storage: { kind: 'inmemory' } });
    assert.deepEqual(parsed.storage?.inmemory, {});
    assert.equal(parsed.storage.filesystem, undefined);
  });

  it('writes the htpasswd realm and file', () => {
    const parsed = config({ auth: { mode: 'htpasswd', realm: 'test', path: '/tmp/r/htpasswd' } });
    assert.deepEqual(parsed.auth, { htpasswd: { realm: 'test', path: '/tmp/r/htpasswd' } });
  });

  it('writes the token realm, service, issuer and root certificate bundle', () => {
    const auth = {
      mode: 'token',
      realm: 'http://127.0.0.1:9/token',
      service: 'svc',
      issuer: 'iss',
      rootCertBundle: '/tmp/r/root.pem',
    } as const;
    assert.deepEqual(config({ auth }).auth, {
      token: { realm: auth.realm, service: 'svc', issuer: 'iss', rootcertbundle: '/tmp/r/root.pem' },
    });
  });
});
