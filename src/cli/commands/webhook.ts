import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
// The file names only: the server is loaded when it serves, so `webhook --help` stays fast.
import { CERT_FILE, KEY_FILE } from '../../webhooks/server/certificate-files.js';
import type { LogFields, ServedKind, WebhookLog, WebhookServer } from '../../webhooks/server/index.js';
import { withImageHostPolicy } from '../../webhooks/rules/image-host-policy.js';
import type { LoadServedDefinitions } from '../served-kinds.js';
import { terminated } from '../termination.js';
import { hostListOf, IMAGE_URL_HOSTS_ENV, IMAGE_URL_HOSTS_HELP, parseHostList } from './host-list-flag.js';
import {
  CONTROLLER_USERNAME_HELP,
  controllerUsernameOf,
  parseControllerUsername,
} from './controller-username-flag.js';

interface WebhookOptions {
  readonly certDir: string;
  readonly port: number;
  readonly bindAddress: string;
  readonly controllerUsername?: string;
  readonly kubeconfig?: string;
  readonly imageUrlHosts?: readonly string[];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: 0 to 65535`,
    );
  return port;
}

/**
 * One JSON line per event on stderr, until the project's structured logging exists; debug lines
 * (every admission) only with IMAGEURL_LOG_LEVEL=debug or trace.
 */
function logTo(env: NodeJS.ProcessEnv): WebhookLog {
  const debug = ['debug', 'trace'].includes(env['IMAGEURL_LOG_LEVEL'] ?? '');
  return (message: string, fields: LogFields = {}, level = 'info') => {
    if (level === 'debug' && !debug) return;
    console.error(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }));
  };
}

/** Fails with an error naming the flag and the path when the cert folder is not usable. */
async function checkCertDir(certDir: string): Promise<void> {
  const why = await stat(certDir).then(
    (found) => (found.isDirectory() ? undefined : 'is not a directory'),
    () => 'does not exist',
  );
  if (why !== undefined)
    throw new Error(`--cert-dir: ${certDir} ${why} (it must hold ${CERT_FILE} and ${KEY_FILE})`);
  for (const file of [CERT_FILE, KEY_FILE]) {
    await access(join(certDir, file)).catch(() => {
      throw new Error(
        `--cert-dir: ${certDir} has no readable ${file} (it must hold ${CERT_FILE} and ${KEY_FILE})`,
      );
    });
  }
}

/** Resolves with the first of SIGTERM or SIGINT. */
async function serve(
  kinds: readonly ServedKind[],
  options: WebhookOptions,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  await checkCertDir(options.certDir);
  // Loaded only when serving: `webhook --help` stays fast.
  const [{ resolveControllerUsernameFrom }, { startWebhookServer }] = await Promise.all([
    import('../../setup/index.js'),
    import('../../webhooks/server/index.js'),
  ]);
  const controllerUsername = await resolveControllerUsernameFrom(
    controllerUsernameOf(options.controllerUsername, env),
    { kubeconfig: options.kubeconfig ?? env['IMAGEURL_KUBECONFIG'], env },
  );
  const imageUrlHosts = hostListOf(options.imageUrlHosts, env, IMAGE_URL_HOSTS_ENV);
  const log = logTo(env);
  const stopping = terminated();
  const server: WebhookServer = await startWebhookServer({
    kinds: imageUrlHosts ? withImageHostPolicy(kinds, imageUrlHosts) : kinds,
    certDir: options.certDir,
    controllerUsername,
    port: options.port,
    host: options.bindAddress,
    log,
  });
  const signal = await stopping;
  log('Stopping admission webhooks', { signal });
  await server.close();
  log('Stopped admission webhooks');
}

/** `imageurl webhook`: serves the admission webhooks of `kinds` until SIGTERM or SIGINT. */
export function webhookCommand(served: LoadServedDefinitions, env: NodeJS.ProcessEnv): Command {
  return new Command('webhook')
    .description('serve the admission webhooks (validation and defaults) over HTTPS until SIGTERM')
    .requiredOption('--cert-dir <dir>', `folder with ${CERT_FILE} and ${KEY_FILE}; reloaded when they change`)
    .option('--port <port>', 'HTTPS port (0 picks a free one)', parsePort, 9443)
    .option('--bind-address <address>', 'address to listen on', '0.0.0.0')
    .option('--controller-username <name>', CONTROLLER_USERNAME_HELP, parseControllerUsername)
    .option('--image-url-hosts <hosts>', IMAGE_URL_HOSTS_HELP, parseHostList)
    .option(
      '--kubeconfig <file>',
      'kubeconfig to ask the apiserver who this process is, without --controller-username (default $KUBECONFIG, in-cluster, ~/.kube/config) [$IMAGEURL_KUBECONFIG]',
    )
    .action(async (options) => {
      await serve((await served()).admissions, options, env);
    });
}
