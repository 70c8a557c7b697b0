import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from '@commander-js/extra-typings';
import { allKindAdmissions } from '../../webhooks/kinds/index.js';
import { addControllerFlags, controllerConfig } from './controller-flags.js';

function parse(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  kinds = allKindAdmissions(),
): ReturnType<typeof controllerConfig> {
  const command = addControllerFlags(new Command('controller'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  command.parse(args, { from: 'user' });
  return controllerConfig(command.opts(), env, kinds);
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
      /argument 'https:\/\/ghcr.io' is invalid\. invalid value "https:\/\/ghcr.io"; allowed: hosts separated by commas/,
    );
    assert.throws(
      () => parse([], { IMAGEURL_REGISTRY_TOKEN_HOSTS: 'a b' }),
      /^Error: IMAGEURL_REGISTRY_TOKEN_HOSTS: invalid value "a b"; allowed: hosts separated by commas/,
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

describe('controller flags: --image-url-hosts', () => {
  const create = (imageURL: string): unknown => ({
    operation: 'CREATE',
    dryRun: false,
    oldObject: undefined,
    object: {
      kind: 'HCloudMachine',
      spec: { type: 'cpx22', imageURL, imageURLCommand: 'image-url-command-disk' },
    },
  });
  const refusals = (config: ReturnType<typeof parse>, imageURL: string): number => {
    const machine = config.settings.webhook?.kinds.find((kind) => kind.kind === 'HCloudMachine');
    return (machine ?? assert.fail('no webhook')).validate(create(imageURL) as never).length;
  };

  it('makes the in-process webhook refuse image URLs on other hosts, from the flag or IMAGEURL_IMAGE_URL_HOSTS', () => {
    const served = ['--webhook-cert-dir', '/certs'];
    assert.equal(refusals(parse(served), 'oci://anywhere.example/x:1'), 0, 'any host without the list');
    const listed = parse([...served, '--image-url-hosts', 'ghcr.io']);
    assert.equal(refusals(listed, 'oci://ghcr.io/x:1'), 0);
    assert.equal(refusals(listed, 'oci://anywhere.example/x:1'), 1);
    const fromEnv = parse(served, { IMAGEURL_IMAGE_URL_HOSTS: 'quay.io' });
    assert.equal(refusals(fromEnv, 'oci://ghcr.io/x:1'), 1);
    assert.throws(
      () => parse(served, { IMAGEURL_IMAGE_URL_HOSTS: 'x y' }),
      /^Error: IMAGEURL_IMAGE_URL_HOSTS: invalid value "x y"/,
    );
  });
});
