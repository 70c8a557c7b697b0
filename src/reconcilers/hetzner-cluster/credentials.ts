import { checks, type Check } from './checks.js';
import type { KnownSecrets } from '../../util/known-secrets.js';
import { secretValue } from '../shared/secret-value.js';
import { referencedSecrets } from './secret-links.js';
import { splitKey } from '../../kube/index.js';
import type { HetznerClusterObject, SecretObject } from './types.js';

export interface CredentialInput {
  readonly object: HetznerClusterObject;
  /** A Secret of the object's namespace by name, from the cache. */
  readonly secret: (name: string) => SecretObject | undefined;
  /** Told every value read, for the process's redactor. */
  readonly known: KnownSecrets;
  /** Robot credentials are checked only when the cluster has bare-metal machines. */
  readonly usesBareMetal: boolean;
}

export interface Credentials {
  readonly checks: Check[];
  /** The hcloud token, when the Secret has one. Never logged, never in a message. */
  readonly token: string | undefined;
  /** The credentials Secret, when it exists (its finalizer is ours to manage). */
  readonly tokenSecret: SecretObject | undefined;
  /** Every Secret the cluster names that exists (credentials, rescue key, registry). */
  readonly secrets: readonly SecretObject[];
}

const quoted = (text: string): string => JSON.stringify(text);

function tokenCheck(
  input: CredentialInput,
  secret: SecretObject | undefined,
): { check: Check; token?: string } {
  const ref = input.object.spec.hetznerSecretRef;
  const where = `Secret ${input.object.metadata.namespace ?? ''}/${ref.name}`;
  if (!secret) {
    return {
      check: checks.secretUnreachable(
        `${where} (spec.hetznerSecretRef.name) not found; it must hold the Hetzner Cloud API token under key ${quoted(ref.key.hcloudToken)}`,
      ),
    };
  }
  if (ref.key.hcloudToken === '') {
    return {
      check: checks.tokenInvalid(
        'spec.hetznerSecretRef.key.hcloudToken is empty: imageurl needs a Hetzner Cloud API token',
      ),
    };
  }
  const token = secretValue(secret, ref.key.hcloudToken, input.known);
  if (token.kind !== 'found') {
    return {
      check: checks.tokenInvalid(
        `${where} has no value under key ${quoted(ref.key.hcloudToken)} (spec.hetznerSecretRef.key.hcloudToken)`,
      ),
    };
  }
  return { check: checks.tokenAvailable(), token: token.value };
}

function rescueKeyCheck(input: CredentialInput): Check | undefined {
  const ref = input.object.spec.sshKeys.robotRescueSecretRef;
  if (!ref?.name) return undefined;
  const where = `Secret ${input.object.metadata.namespace ?? ''}/${ref.name}`;
  const value = secretValue(input.secret(ref.name), ref.key.privateKey, input.known);
  if (value.kind === 'missing') {
    return checks.privateKeySecretNotFound(
      `${where} (spec.sshKeys.robotRescueSecretRef.name) not found; it must hold the rescue SSH private key under key ${quoted(ref.key.privateKey)}`,
    );
  }
  if (value.kind === 'empty') {
    return checks.privateKeyFieldEmpty(
      `${where} has no value under key ${quoted(ref.key.privateKey)} (spec.sshKeys.robotRescueSecretRef.key.privateKey)`,
    );
  }
  return checks.privateKeyAvailable();
}

function registryCheck(input: CredentialInput): Check | undefined {
  const auth = input.object.spec.ociRegistryAuth;
  if (auth === undefined) return undefined;
  const { name, key } = auth.secretRef;
  const where = `Secret ${input.object.metadata.namespace ?? ''}/${name}`;
  const value = secretValue(input.secret(name), key, input.known);
  if (value.kind === 'missing') {
    return checks.registrySecretNotFound(
      `${where} (spec.ociRegistryAuth.secretRef.name) not found; it must hold the registry credentials under key ${quoted(key)}`,
    );
  }
  if (value.kind === 'empty') {
    return checks.registrySecretFieldEmpty(
      `${where} has no value under key ${quoted(key)} (spec.ociRegistryAuth.secretRef.key)`,
    );
  }
  return checks.registryCredentialsAvailable();
}

function robotCheck(input: CredentialInput, secret: SecretObject | undefined): Check | undefined {
  if (!input.usesBareMetal || !secret) return undefined;
  const ref = input.object.spec.hetznerSecretRef;
  const fields = [
    ['hetznerRobotUser', ref.key.hetznerRobotUser],
    ['hetznerRobotPassword', ref.key.hetznerRobotPassword],
  ] as const;
  const missing = fields.filter(
    ([, key]) => key === '' || secretValue(secret, key, input.known).kind !== 'found',
  );
  if (missing.length === 0) return checks.robotCredentialsAvailable();
  const what = missing
    .map(([field, key]) => `${quoted(key)} (spec.hetznerSecretRef.key.${field})`)
    .join(' and ');
  const where = `Secret ${input.object.metadata.namespace ?? ''}/${ref.name}`;
  return checks.robotCredentialsInvalid(`${where} has no value under ${what}; bare-metal machines need them`);
}

/**
 * The credential checks of a HetznerCluster, from the Secret cache: the hcloud token
 * (HCloudTokenAvailable), the rescue SSH private key when a Secret is named
 * (SSHPrivateKeyAvailable), and the Robot credentials once bare metal is used
 * (RobotCredentialsAvailable), and the registry credentials when the cluster names a Secret for
 * them (OCIRegistryCredentialsAvailable). Messages name the Secret, the key and the field, never a value.
 */
export function checkCredentials(input: CredentialInput): Credentials {
  const tokenSecret = input.secret(input.object.spec.hetznerSecretRef.name);
  const token = tokenCheck(input, tokenSecret);
  const found = [token.check, rescueKeyCheck(input), robotCheck(input, tokenSecret), registryCheck(input)];
  const secrets = referencedSecrets(input.object)
    .map((key) => input.secret(splitKey(key).name))
    .filter((secret): secret is SecretObject => secret !== undefined);
  return {
    checks: found.filter((check): check is Check => check !== undefined),
    token: token.token,
    tokenSecret,
    secrets,
  };
}
