import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandRegistryToken, imageUrlHost, registryTokenFor } from './registry-token-scope.js';

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

describe('commandRegistryToken', () => {
  const controller = { token: 'controller-token', hosts: undefined };
  const cluster = { token: 'cluster-token', hosts: ['GHCR.io'] };

  it('gives the cluster’s credentials for its own hosts, ahead of the controller’s', () => {
    assert.equal(commandRegistryToken('oci://ghcr.io/org/node:v1', { cluster, controller }), 'cluster-token');
  });

  it('falls back to the controller’s token, by the controller’s binding, for other hosts', () => {
    assert.equal(commandRegistryToken('oci://quay.io/x:1', { cluster, controller }), 'controller-token');
    const bound = { token: 'controller-token', hosts: ['registry.internal'] };
    assert.equal(commandRegistryToken('oci://quay.io/x:1', { cluster, controller: bound }), undefined);
    assert.equal(commandRegistryToken('oci://quay.io/x:1', { controller: { token: undefined } }), undefined);
  });

  it('never hands the cluster’s credentials to a host it did not name, even with no hosts listed', () => {
    const open = { token: 'cluster-token', hosts: [] };
    assert.equal(
      commandRegistryToken('oci://ghcr.io/x:1', { cluster: open, controller: { token: undefined } }),
      undefined,
    );
  });
});
