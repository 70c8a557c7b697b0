import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageUrlHost, registryTokenFor } from './registry-token-scope.js';

describe('registryTokenFor', () => {
  const token = 'robot:S3CRET';

  it('hands the token to every command while no hosts are bound (CAPH behaviour)', () => {
    assert.equal(registryTokenFor(token, 'oci://attacker.example/x:1', undefined), token);
  });

  it('hands it only to commands whose imageURL names a bound host, with or without its port', () => {
    const hosts = ['ghcr.io', 'registry.internal:5000'];
    assert.equal(registryTokenFor(token, 'oci://ghcr.io/org/node:v1', hosts), token);
    assert.equal(registryTokenFor(token, 'oci://GHCR.io:443/org/node:v1', hosts), token);
    assert.equal(registryTokenFor(token, 'oci://registry.internal:5000/node:v1', hosts), token);
    assert.equal(registryTokenFor(token, 'oci://registry.internal/node:v1', hosts), undefined);
    assert.equal(registryTokenFor(token, 'oci://attacker.example/ghcr.io/x:1', hosts), undefined);
    assert.equal(registryTokenFor(token, 'https://user:pw@ghcr.io.attacker.example/x', hosts), undefined);
    assert.equal(registryTokenFor(token, 'not a url', hosts), undefined);
  });

  it('reads the host of oci and https URLs, without userinfo', () => {
    assert.equal(imageUrlHost('https://reader:pw@Bucket.Example.com:8443/a?b=c'), 'bucket.example.com:8443');
    assert.equal(imageUrlHost('oci://ghcr.io/org/node:v1'), 'ghcr.io');
    assert.equal(imageUrlHost('/relative/path'), undefined);
  });
});
