import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
// From kube/config directly, not kube/index: --help must not load the controller runtime.
import { formatDuration, parseDuration } from '../../kube/config/duration.js';
import {
  resolveRuntimeOptions,
  RUNTIME_FLAGS,
  type RuntimeOptions,
} from '../../kube/config/runtime-options.js';
import { IMAGE_URL_COMMAND_TIMEOUT_MS } from '../../image-url/command-timeout.js';
import type { ServedKind } from '../../webhooks/server/index.js';
import { withImageHostPolicy } from '../../webhooks/rules/image-host-policy.js';
import { hostListOf, IMAGE_URL_HOSTS_ENV, IMAGE_URL_HOSTS_HELP, parseHostList } from './host-list-flag.js';
import type { ControllerSettings } from '../../setup/index.js';
import { addBooleanFlag, parseBoolean } from './boolean-flag.js';
import { addCaphFlags, caphSettings } from './caph-flags.js';
import { flagOrEnv, helpTail } from './flag-env.js';
import {
  CONTROLLER_USERNAME_HELP,
  controllerUsernameOf,
  parseControllerUsername,
} from './controller-username-flag.js';

type FlagValues = Record<string, string | boolean | undefined>;

/** commander's camelCase keys back to the runtime's flag names. */
function runtimeFlagValues(values: FlagValues): FlagValues {
  const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const valueOf = (spec: (typeof RUNTIME_FLAGS)[number]): string | boolean | undefined =>
    [spec.flag, ...(spec.aliases ?? [])].map((name) => values[camel(name)]).find((v) => v !== undefined);
  return Object.fromEntries(RUNTIME_FLAGS.map((spec) => [spec.flag, valueOf(spec)]));
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: 0 to 65535`,
    );
  return port;
}

function parseCommandTimeout(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 1_000 || ms > 24 * 3_600_000)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: a duration from 1s to 24h, like 7m or 90s`,
    );
  return ms;
}

type CommandValues = FlagValues & {
  commandsDir?: string;
  hcloudEndpoint?: string;
  robotEndpoint?: string;
  webhookCertDir?: string;
  webhookPort?: number;
  skipWebhooks?: boolean;
  imageUrlCommandTimeout?: number;
  installedOsSshTimeout?: number;
  registryTokenHosts?: string[];
  imageUrlHosts?: string[];
  controllerUsername?: string;
};

function parseEndpoint(value: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(value))
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 60))}; allowed: an http(s) URL, like https://api.hetzner.cloud/v1`,
    );
  return value;
}

const PLACEHOLDER: Readonly<Record<string, string>> = {
  boolean: '[bool]',
  count: '<n>',
  duration: '<duration>',
  address: '<host:port>',
  level: '<level>',
};

function addRuntimeFlags<C extends Command<[], Record<string, unknown>>>(command: C): C {
  for (const spec of RUNTIME_FLAGS) {
    const help = `${spec.description}${helpTail(spec.default, spec.env, spec.caphDefault)}`;
    if (spec.kind === 'boolean') addBooleanFlag(command, spec.flag, help);
    else command.option(`--${spec.flag} ${PLACEHOLDER[spec.kind] ?? '<value>'}`, help);
    for (const alias of spec.aliases ?? [])
      command.option(`--${alias} ${PLACEHOLDER[spec.kind] ?? '<value>'}`, `CAPH's name of --${spec.flag}`);
  }
  return command;
}

/** Adds the controller's own flags, the runtime's and CAPH's to `command`. */
export function addControllerFlags<C extends Command<[], Record<string, unknown>>>(command: C): C {
  command
    .option(
      '--commands-dir <dir>',
      `folder the imageURLCommand names are resolved in${helpTail('/shared', 'IMAGEURL_COMMANDS_DIR')}`,
    )
    .option(
      '--hcloud-endpoint <url>',
      `Hetzner Cloud API endpoint${helpTail('https://api.hetzner.cloud/v1', 'HCLOUD_ENDPOINT')}`,
      parseEndpoint,
    )
    .option(
      '--robot-endpoint <url>',
      `Hetzner Robot webservice endpoint${helpTail('https://robot-ws.your-server.de', 'IMAGEURL_ROBOT_ENDPOINT')}`,
      parseEndpoint,
    )
    .option(
      '--webhook-cert-dir <dir>',
      `serve the admission webhooks with tls.crt and tls.key from here${helpTail('off', 'IMAGEURL_WEBHOOK_CERT_DIR')}`,
    )
    .option(
      '--webhook-port <port>',
      `HTTPS port of the webhooks, 0 picks a free one${helpTail('9443', 'IMAGEURL_WEBHOOK_PORT')}`,
      parsePort,
    );
  addBooleanFlag(
    command,
    'skip-webhooks',
    `serve no webhooks even with --webhook-cert-dir, as CAPH's flag${helpTail('false', 'IMAGEURL_SKIP_WEBHOOKS')}`,
    { negatable: false },
  );
  command
    .option('--controller-username <name>', CONTROLLER_USERNAME_HELP, parseControllerUsername)
    .option(
      '--image-url-command-timeout <duration>',
      `cancel provisioning when the image-url-command runs longer (hcloud and bare metal)${helpTail(formatDuration(IMAGE_URL_COMMAND_TIMEOUT_MS), TIMEOUT_ENV, '20m')}`,
      parseCommandTimeout,
    )
    .option(
      '--installed-os-ssh-timeout <duration>',
      `after the reboot out of rescue (hcloud): how long the installed OS may take to answer SSH before a silent server fails; a port that refused all along means hcloud's status decides${helpTail('5m', INSTALLED_OS_ENV)}`,
      parseCommandTimeout,
    )
    .option(
      '--registry-token-hosts <hosts>',
      'give OCI_REGISTRY_AUTH_TOKEN only to commands whose imageURL names one of these hosts (default: to every command, as CAPH) [$IMAGEURL_REGISTRY_TOKEN_HOSTS]',
      parseHostList,
    )
    .option('--image-url-hosts <hosts>', `with --webhook-cert-dir: ${IMAGE_URL_HOSTS_HELP}`, parseHostList);
  return addCaphFlags(addRuntimeFlags(command));
}

const TIMEOUT_ENV = 'IMAGEURL_IMAGE_URL_COMMAND_TIMEOUT';
const INSTALLED_OS_ENV = 'IMAGEURL_INSTALLED_OS_SSH_TIMEOUT';

/** The controller's configuration: runtime options, settings, and warnings to log at start-up. */
export interface ControllerConfig {
  readonly options: RuntimeOptions;
  readonly settings: ControllerSettings;
  readonly warnings: readonly string[];
}

/** The in-process webhooks: with a cert dir, unless --skip-webhooks. */
function webhookOf(
  all: CommandValues,
  env: NodeJS.ProcessEnv,
  kinds: readonly ServedKind[],
): ControllerSettings['webhook'] {
  const certDir = flagOrEnv(all.webhookCertDir, env, 'IMAGEURL_WEBHOOK_CERT_DIR', (dir) => dir);
  const skip = flagOrEnv(all.skipWebhooks, env, 'IMAGEURL_SKIP_WEBHOOKS', parseBoolean) ?? false;
  if (certDir === undefined || skip) return undefined;
  const imageUrlHosts = hostListOf(all.imageUrlHosts, env, IMAGE_URL_HOSTS_ENV);
  const controllerUsername = controllerUsernameOf(all.controllerUsername, env);
  return {
    certDir,
    port: flagOrEnv(all.webhookPort, env, 'IMAGEURL_WEBHOOK_PORT', parsePort) ?? 9443,
    kinds: imageUrlHosts ? withImageHostPolicy(kinds, imageUrlHosts) : kinds,
    ...(controllerUsername ? { controllerUsername } : {}),
  };
}

/** The runtime options and controller settings of the parsed flags and the environment. */
export function controllerConfig(
  values: unknown,
  env: NodeJS.ProcessEnv,
  kinds: readonly ServedKind[],
): ControllerConfig {
  const all = values as CommandValues;
  const caph = caphSettings(all, env);
  const runtimeValues = runtimeFlagValues(all);
  const options = resolveRuntimeOptions(
    caph.logLevel === undefined ? runtimeValues : { ...runtimeValues, 'log-level': caph.logLevel },
    env,
  );
  const registryToken = env['OCI_REGISTRY_AUTH_TOKEN'];
  const registryTokenHosts = hostListOf(all.registryTokenHosts, env, 'IMAGEURL_REGISTRY_TOKEN_HOSTS');
  const timeout =
    flagOrEnv(all.imageUrlCommandTimeout, env, TIMEOUT_ENV, parseCommandTimeout) ??
    IMAGE_URL_COMMAND_TIMEOUT_MS;
  const installedOsBudget = flagOrEnv(all.installedOsSshTimeout, env, INSTALLED_OS_ENV, parseCommandTimeout);
  const webhook = webhookOf(all, env, kinds);
  const hcloudEndpoint = flagOrEnv(all.hcloudEndpoint, env, 'HCLOUD_ENDPOINT', parseEndpoint);
  const robotEndpoint = flagOrEnv(all.robotEndpoint, env, 'IMAGEURL_ROBOT_ENDPOINT', parseEndpoint);
  const settings: ControllerSettings = {
    commandsDir: flagOrEnv(all.commandsDir, env, 'IMAGEURL_COMMANDS_DIR', (dir) => dir) ?? '/shared',
    concurrency: caph.concurrency,
    provisioning: {
      timeoutsMs: { RunningImageCommand: timeout },
      ...optional('installedOSAnswerBudgetMs', installedOsBudget),
    },
    bareMetal: { timeoutsMs: { 'image-installing': timeout } },
    ...(hcloudEndpoint ? { hcloudEndpoint } : {}),
    ...(robotEndpoint ? { robotEndpoint } : {}),
    ...(registryToken ? { registryToken } : {}),
    ...(registryTokenHosts ? { registryTokenHosts } : {}),
    ...(webhook ? { webhook } : {}),
  };
  return { options, settings, warnings: caph.warnings };
}

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);
