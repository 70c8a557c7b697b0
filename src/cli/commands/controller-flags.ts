import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
import {
  parseDuration,
  resolveRuntimeOptions,
  RUNTIME_FLAGS,
  type RuntimeOptions,
} from '../../kube/index.js';
import { IMAGE_URL_COMMAND_TIMEOUT_MS } from '../../image-url/index.js';
import type { ServedKind } from '../../webhooks/server/index.js';
import { withImageHostPolicy } from '../../webhooks/rules/image-host-policy.js';
import { hostListOf, IMAGE_URL_HOSTS_ENV, IMAGE_URL_HOSTS_HELP, parseHostList } from './host-list-flag.js';
import type { ControllerSettings } from '../../setup/index.js';
import {
  CONTROLLER_USERNAME_HELP,
  controllerUsernameOf,
  parseControllerUsername,
} from './controller-username-flag.js';

type FlagValues = Record<string, string | boolean | undefined>;

/** commander's camelCase keys back to the runtime's flag names. */
function runtimeFlagValues(values: FlagValues): FlagValues {
  const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return Object.fromEntries(RUNTIME_FLAGS.map((spec) => [spec.flag, values[camel(spec.flag)]]));
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
  commandsDir: string;
  hcloudEndpoint?: string;
  robotEndpoint?: string;
  webhookCertDir?: string;
  webhookPort: number;
  imageUrlCommandTimeout: number;
  registryTokenHosts?: string[];
  imageUrlHosts?: string[];
  controllerUsername?: string;
};

/** Adds the controller's own flags and the runtime's to `command`. */
export function addControllerFlags<C extends Command<[], Record<string, unknown>>>(command: C): C {
  command
    .option('--commands-dir <dir>', 'folder the imageURLCommand names are resolved in', '/shared')
    .option('--hcloud-endpoint <url>', 'Hetzner Cloud API endpoint (default the real one)')
    .option('--robot-endpoint <url>', 'Hetzner Robot webservice endpoint (default the real one)')
    .option(
      '--webhook-cert-dir <dir>',
      'serve the admission webhooks with tls.crt and tls.key from here (default off)',
    )
    .option('--webhook-port <port>', 'HTTPS port of the webhooks (0 picks a free one)', parsePort, 9443)
    .option('--controller-username <name>', CONTROLLER_USERNAME_HELP, parseControllerUsername)
    .option(
      '--image-url-command-timeout <duration>',
      'cancel provisioning when the image-url-command runs longer (e.g. 7m, 90s; hcloud and bare metal)',
      parseCommandTimeout,
      IMAGE_URL_COMMAND_TIMEOUT_MS,
    )
    .option(
      '--registry-token-hosts <hosts>',
      'give OCI_REGISTRY_AUTH_TOKEN only to commands whose imageURL names one of these hosts (default: to every command, as CAPH) [$IMAGEURL_REGISTRY_TOKEN_HOSTS]',
      parseHostList,
    )
    .option('--image-url-hosts <hosts>', `with --webhook-cert-dir: ${IMAGE_URL_HOSTS_HELP}`, parseHostList);
  for (const spec of RUNTIME_FLAGS) {
    const flag = spec.kind === 'boolean' ? `--${spec.flag}` : `--${spec.flag} <value>`;
    command.option(flag, `${spec.description} [$${spec.env}]`);
    // Booleans that default to true must be switchable off on the command line too.
    if (spec.kind === 'boolean') command.option(`--no-${spec.flag}`, `turn --${spec.flag} off`);
  }
  return command;
}

/** The runtime options and controller settings of the parsed flags and the environment. */
export function controllerConfig(
  values: unknown,
  env: NodeJS.ProcessEnv,
  kinds: readonly ServedKind[],
): { readonly options: RuntimeOptions; readonly settings: ControllerSettings } {
  const all = values as CommandValues;
  const options = resolveRuntimeOptions(runtimeFlagValues(all), env);
  const registryToken = env['OCI_REGISTRY_AUTH_TOKEN'];
  const registryTokenHosts = hostListOf(all.registryTokenHosts, env, 'IMAGEURL_REGISTRY_TOKEN_HOSTS');
  const imageUrlHosts = hostListOf(all.imageUrlHosts, env, IMAGE_URL_HOSTS_ENV);
  const timeout = all.imageUrlCommandTimeout;
  const controllerUsername = controllerUsernameOf(all.controllerUsername, env);
  const webhook = all.webhookCertDir
    ? {
        certDir: all.webhookCertDir,
        port: all.webhookPort,
        kinds: imageUrlHosts ? withImageHostPolicy(kinds, imageUrlHosts) : kinds,
        ...(controllerUsername ? { controllerUsername } : {}),
      }
    : undefined;
  const settings: ControllerSettings = {
    commandsDir: all.commandsDir,
    provisioning: { timeoutsMs: { RunningImageCommand: timeout } },
    bareMetal: { timeoutsMs: { 'image-installing': timeout } },
    ...(all.hcloudEndpoint ? { hcloudEndpoint: all.hcloudEndpoint } : {}),
    ...(all.robotEndpoint ? { robotEndpoint: all.robotEndpoint } : {}),
    ...(registryToken ? { registryToken } : {}),
    ...(registryTokenHosts ? { registryTokenHosts } : {}),
    ...(webhook ? { webhook } : {}),
  };
  return { options, settings };
}

/** The environment's host list, with the variable named in its error. */
