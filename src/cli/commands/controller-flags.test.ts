import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from '@commander-js/extra-typings';
import { addControllerFlags, controllerConfig } from './controller-flags.js';

function parse(args: string[], env: NodeJS.ProcessEnv = {}): ReturnType<typeof controllerConfig> {
  const command = addControllerFlags(new Command('controller'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  command.parse(args, { from: 'user' });
  return controllerConfig(command.opts(), env, []);
}

describe('controller flags: --registry-token-hosts', () => {
  it('is absent by default, so the token goes to every command as with CAPH', () => {
    assert.equal(parse([], { OCI_REGISTRY_AUTH_TOKEN: 't' }).settings.registryTokenHosts, undefined);
  });

  it('reads hosts from the flag or IMAGEURL_REGISTRY_TOKEN_HOSTS, the flag first', () => {
    const env = { IMAGEURL_REGISTRY_TOKEN_HOSTS: 'registry.internal:5000' };
    assert.deepEqual(parse([], env).settings.registryTokenHosts, ['registry.internal:5000']);
    assert.deepEqual(parse(['--registry-token-hosts', 'GHCR.io, quay.io'], env).settings.registryTokenHosts, [
      'ghcr.io',
      'quay.io',
    ]);
  });

  it('refuses what is not a host, naming the flag or the variable and what is allowed', () => {
    assert.throws(
      () => parse(['--registry-token-hosts', 'https://ghcr.io']),
      /argument 'https:\/\/ghcr.io' is invalid\. invalid value "https:\/\/ghcr.io"; allowed: registry hosts/,
    );
    assert.throws(
      () => parse([], { IMAGEURL_REGISTRY_TOKEN_HOSTS: 'a b' }),
      /^Error: IMAGEURL_REGISTRY_TOKEN_HOSTS: invalid value "a b"; allowed: registry hosts/,
    );
  });
});

describe('controller flags: --controller-username', () => {
  const webhook = ['--webhook-cert-dir', '/certs'];

  it("is absent by default: the webhook asks the apiserver for the process's own identity", () => {
    assert.equal(parse(webhook).settings.webhook?.controllerUsername, undefined);
  });

  it('reads the flag or IMAGEURL_CONTROLLER_USERNAME, the flag first', () => {
    const env = { IMAGEURL_CONTROLLER_USERNAME: 'system:serviceaccount:capi:from-env' };
    assert.equal(
      parse(webhook, env).settings.webhook?.controllerUsername,
      'system:serviceaccount:capi:from-env',
    );
    const flag = [...webhook, '--controller-username', 'system:serviceaccount:capi:from-flag'];
    assert.equal(
      parse(flag, env).settings.webhook?.controllerUsername,
      'system:serviceaccount:capi:from-flag',
    );
  });

  it('refuses an empty name, naming the flag or the variable', () => {
    assert.throws(
      () => parse([...webhook, '--controller-username', ' ']),
      /argument ' ' is invalid\. invalid value " "; allowed: a username of 1 to 253 characters/,
    );
    assert.throws(
      () => parse(webhook, { IMAGEURL_CONTROLLER_USERNAME: ' ' }),
      /^Error: IMAGEURL_CONTROLLER_USERNAME: invalid value " "; allowed: a username/,
    );
  });
});
