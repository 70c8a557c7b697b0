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

describe('controller flags: CAPH Deployment args carry over', () => {
  it('takes booleans as Go does: --x, --x=true|false|1|0|t|f in any case, and --no-x', () => {
    const elect = (...args: string[]): boolean => parse(args).options.leaderElect;
    assert.equal(elect(), false);
    assert.equal(elect('--leader-elect'), true);
    for (const on of ['true', 'TRUE', 'True', '1', 't', 'T'])
      assert.equal(elect(`--leader-elect=${on}`), true, on);
    for (const off of ['false', 'FALSE', '0', 'f', 'F'])
      assert.equal(elect(`--leader-elect=${off}`), false, off);
    assert.equal(parse(['--no-leader-elect'], { IMAGEURL_LEADER_ELECT: 'true' }).options.leaderElect, false);
    assert.throws(
      () => elect('--leader-elect=maybe'),
      /'maybe' is invalid\. invalid value "maybe"; allowed: true or false/,
    );
  });

  it("accepts CAPH's names: --leader-elect-namespace and the per-kind concurrencies", () => {
    const config = parse([
      '--leader-elect-namespace=capi',
      '--hcloudmachine-concurrency=2',
      '--hetznercluster-concurrency',
      '3',
      '--hetznerbaremetalmachine-concurrency=5',
      '--hetznerbaremetalhost-concurrency=6',
    ]);
    assert.equal(config.options.leaderElectionNamespace, 'capi');
    assert.deepEqual(config.settings.concurrency, {
      hcloudMachine: 2,
      hetznerCluster: 3,
      hetznerBareMetalMachine: 5,
      hetznerBareMetalHost: 6,
    });
    assert.throws(
      () => parse(['--hcloudmachine-concurrency=0']),
      /invalid value "0"; allowed: an integer from 1 to 1000/,
    );
  });

  it('maps -v N (klog) to log levels, and refuses it together with --log-level', () => {
    assert.equal(parse(['-v', '0']).options.logLevel, 'info');
    assert.equal(parse(['-v', '2']).options.logLevel, 'debug');
    assert.equal(parse(['--v=5']).options.logLevel, 'trace');
    assert.throws(() => parse(['-v', '2', '--log-level', 'info']), /-v: not together with --log-level/);
  });

  it('turns the webhooks off with --skip-webhooks even with a cert dir', () => {
    assert.ok(parse(['--webhook-cert-dir', '/certs']).settings.webhook);
    assert.equal(parse(['--webhook-cert-dir', '/certs', '--skip-webhooks']).settings.webhook, undefined);
    assert.equal(parse(['--webhook-cert-dir=/certs', '--skip-webhooks=true']).settings.webhook, undefined);
    assert.ok(parse(['--webhook-cert-dir', '/certs', '--skip-webhooks=false']).settings.webhook);
  });

  it('warns about the CAPH flags it ignores and refuses --pre-provision-command', () => {
    const config = parse(['--disable-csr-approval', '--rate-limit=5m', '--debug-hcloud-api-calls=false']);
    assert.deepEqual(
      config.warnings.map((line) => line.split(' ')[0]),
      ['--disable-csr-approval', '--rate-limit', '--debug-hcloud-api-calls'],
    );
    assert.throws(
      () => parse(['--pre-provision-command', '/shared/check']),
      /^ConfigError: --pre-provision-command: not supported/,
    );
  });

  it('reads the Cloud endpoint from HCLOUD_ENDPOINT, as `imageurl sim` prints it; the flag first', () => {
    const env = { HCLOUD_ENDPOINT: 'http://127.0.0.1:4000/v1' };
    assert.equal(parse([], env).settings.hcloudEndpoint, 'http://127.0.0.1:4000/v1');
    assert.equal(parse(['--hcloud-endpoint', 'http://h/v1'], env).settings.hcloudEndpoint, 'http://h/v1');
    assert.throws(
      () => parse([], { HCLOUD_ENDPOINT: 'nope' }),
      /^ConfigError: HCLOUD_ENDPOINT: invalid value "nope"/,
    );
  });

  it('sets how long the installed OS may take to answer SSH, from the flag or its variable; 5 min by default', () => {
    assert.equal(
      parse([]).settings.provisioning?.installedOSAnswerBudgetMs,
      undefined,
      'the setting’s default',
    );
    const flag = parse(['--installed-os-ssh-timeout', '90s']);
    assert.equal(flag.settings.provisioning?.installedOSAnswerBudgetMs, 90_000);
    const env = parse([], { IMAGEURL_INSTALLED_OS_SSH_TIMEOUT: '2m' });
    assert.equal(env.settings.provisioning?.installedOSAnswerBudgetMs, 120_000);
    assert.throws(
      () => parse([], { IMAGEURL_INSTALLED_OS_SSH_TIMEOUT: 'soon' }),
      /IMAGEURL_INSTALLED_OS_SSH_TIMEOUT: invalid value "soon"; allowed: a duration/,
    );
  });

  it('reads every other flag of its own from the environment too', () => {
    const config = parse([], {
      IMAGEURL_COMMANDS_DIR: '/cmds',
      IMAGEURL_WEBHOOK_CERT_DIR: '/certs',
      IMAGEURL_WEBHOOK_PORT: '9999',
      IMAGEURL_IMAGE_URL_COMMAND_TIMEOUT: '90s',
      IMAGEURL_ROBOT_ENDPOINT: 'http://robot',
    });
    assert.equal(config.settings.commandsDir, '/cmds');
    assert.equal(config.settings.webhook?.port, 9999);
    assert.equal(config.settings.provisioning?.timeoutsMs?.RunningImageCommand, 90_000);
    assert.equal(config.settings.robotEndpoint, 'http://robot');
  });
});
