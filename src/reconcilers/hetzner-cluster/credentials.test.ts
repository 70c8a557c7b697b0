import { KnownSecrets } from '../../util/known-secrets.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples } from '../../../api/v1beta1/index.js';
import { checkCredentials } from './credentials.js';
import type { HetznerClusterObject, SecretObject } from './types.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const TOKEN = 'hcloud-token-value';

function cluster(): HetznerClusterObject {
  const object = structuredClone(examples.hetznerCluster) as unknown as HetznerClusterObject;
  object.metadata = { name: 'my-cluster', namespace: 'ns' };
  return object;
}

function secrets(data: Record<string, Record<string, string>>): (name: string) => SecretObject | undefined {
  return (name) => {
    const values = data[name];
    if (!values) return undefined;
    const encoded = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)]));
    return { metadata: { name, namespace: 'ns', resourceVersion: '7' }, data: encoded };
  };
}

const summary = (found: ReturnType<typeof checkCredentials>): string[] =>
  found.checks.map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`);

describe('HetznerCluster credential checks', () => {
  it('finds the token and the rescue key; Robot keys are not asked for without bare metal', () => {
    const found = checkCredentials({
      object: cluster(),
      secret: secrets({ hcloud: { hcloud: TOKEN }, 'robot-ssh': { 'ssh-privatekey': 'KEY' } }),
      usesBareMetal: false,
      known: new KnownSecrets(),
    });
    assert.equal(found.token, TOKEN);
    assert.deepEqual(summary(found), ['HCloudTokenAvailable=True', 'SSHPrivateKeyAvailable=True']);
  });

  it('names the Secret, the key and the field of what is missing', () => {
    const found = checkCredentials({
      object: cluster(),
      secret: secrets({ hcloud: { other: 'x' }, 'robot-ssh': {} }),
      usesBareMetal: true,
      known: new KnownSecrets(),
    });
    assert.equal(found.token, undefined);
    assert.deepEqual(
      found.checks.map((c) => c.message),
      [
        'Secret ns/hcloud has no value under key "hcloud" (spec.hetznerSecretRef.key.hcloudToken)',
        'Secret ns/robot-ssh has no value under key "ssh-privatekey" (spec.sshKeys.robotRescueSecretRef.key.privateKey)',
        'Secret ns/hcloud has no value under "robot-user" (spec.hetznerSecretRef.key.hetznerRobotUser) and ' +
          '"robot-password" (spec.hetznerSecretRef.key.hetznerRobotPassword); bare-metal machines need them',
      ],
    );
    assert.deepEqual(summary(found), [
      'HCloudTokenAvailable=False/HCloudCredentialsInvalid',
      'SSHPrivateKeyAvailable=False/SSHPrivateKeyFieldEmpty',
      'RobotCredentialsAvailable=False/RobotCredentialsInvalid',
    ]);
  });

  it('reports a missing Secret once, as HetznerSecretUnreachable, and a missing rescue Secret', () => {
    const found = checkCredentials({
      object: cluster(),
      secret: secrets({}),
      usesBareMetal: true,
      known: new KnownSecrets(),
    });
    assert.deepEqual(summary(found), [
      'HCloudTokenAvailable=False/HetznerSecretUnreachable',
      'SSHPrivateKeyAvailable=False/SSHPrivateKeySecretNotFound',
    ]);
    assert.ok(!JSON.stringify(found.checks).includes(TOKEN));
  });

  it('checks the registry Secret a cluster names in spec.ociRegistryAuth, by name and key', () => {
    const withRegistry = cluster();
    withRegistry.spec.ociRegistryAuth = { secretRef: { name: 'registry', key: 'token' }, hosts: ['ghcr.io'] };
    const check = (data: Record<string, Record<string, string>>): string[] =>
      summary(
        checkCredentials({
          object: withRegistry,
          secret: secrets(data),
          usesBareMetal: false,
          known: new KnownSecrets(),
        }),
      ).filter((line) => line.startsWith('OCIRegistry'));
    const base = { hcloud: { hcloud: TOKEN }, 'robot-ssh': { 'ssh-privatekey': 'KEY' } };
    assert.deepEqual(check(base), ['OCIRegistryCredentialsAvailable=False/OCIRegistrySecretNotFound']);
    assert.deepEqual(check({ ...base, registry: { other: 'x' } }), [
      'OCIRegistryCredentialsAvailable=False/OCIRegistrySecretFieldEmpty',
    ]);
    assert.deepEqual(check({ ...base, registry: { token: 'u:p' } }), [
      'OCIRegistryCredentialsAvailable=True',
    ]);
    assert.deepEqual(
      summary(
        checkCredentials({
          object: cluster(),
          secret: secrets(base),
          usesBareMetal: false,
          known: new KnownSecrets(),
        }),
      ).filter((line) => line.startsWith('OCIRegistry')),
      [],
      'no check without spec.ociRegistryAuth',
    );
  });
});
