import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImageReference, registryBaseUrl } from './image-reference.js';
import { parseRegistryCredentials } from './registry-auth.js';

describe('parseImageReference', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const valid: [string, string, string, string][] = [
    ['oci://ghcr.io/example/yourimage:v1', 'ghcr.io', 'example/yourimage', 'v1'],
    ['oci://127.0.0.1:5000/images/node:v1.2.3-rc_1', '127.0.0.1:5000', 'images/node', 'v1.2.3-rc_1'],
    [`oci://registry.example.com/a/b/c@${digest}`, 'registry.example.com', 'a/b/c', digest],
    ['oci://[::1]:5000/x:y', '[::1]:5000', 'x', 'y'],
  ];
  for (const [url, registry, repository, reference] of valid) {
    it(`reads ${url}`, () => assert.deepEqual(parseImageReference(url), { registry, repository, reference }));
  }

  const invalid: [string, RegExp][] = [
    ['https://ghcr.io/a:b', /must start with oci:\/\//],
    ['oci://ghcr.io', /has no registry host/],
    ['oci://ghcr.io/Upper/Case:v1', /must be lowercase path components/],
    ['oci://ghcr.io/a/b', /"" is neither a tag nor a sha256 digest/],
    ['oci://ghcr.io/a@sha256:short', /"sha256:short" is neither a tag nor a sha256 digest/],
    ['oci://bad host/a:b', /registry "bad host" is not a host\[:port\]/],
  ];
  for (const [url, message] of invalid) {
    it(`rejects ${url}`, () =>
      assert.throws(() => parseImageReference(url), { code: 'OCI_REFERENCE_INVALID', message }));
  }

  it('uses HTTP for loopback registries and HTTPS elsewhere', () => {
    assert.equal(registryBaseUrl(parseImageReference('oci://127.0.0.1:5000/a:b')), 'http://127.0.0.1:5000');
    assert.equal(registryBaseUrl(parseImageReference('oci://ghcr.io/a:b')), 'https://ghcr.io');
    assert.equal(registryBaseUrl(parseImageReference('oci://ghcr.io/a:b'), true), 'http://ghcr.io');
  });
});

describe('parseRegistryCredentials', () => {
  it('reads user:password (the password may contain colons) and bare tokens', () => {
    assert.deepEqual(parseRegistryCredentials('robot:pa:ss'), {
      kind: 'basic',
      username: 'robot',
      password: 'pa:ss',
    });
    assert.deepEqual(parseRegistryCredentials('ghp_abc'), { kind: 'token', token: 'ghp_abc' });
    assert.equal(parseRegistryCredentials(''), undefined);
    assert.equal(parseRegistryCredentials(undefined), undefined);
  });
});
