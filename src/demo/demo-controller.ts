import { join } from 'node:path';
import pino from 'pino';
import { freePort } from '../../sim/process/free-port.js';
import { runController, type ControllerSettings } from '../setup/index.js';
import { resolveRuntimeOptions } from '../kube/index.js';
import type { ServedKind } from '../webhooks/server/index.js';
import type { DemoPaths } from './demo-paths.js';
import type { DemoStack } from './demo-stack.js';

export interface DemoController {
  readonly logFile: string;
  readonly metricsUrl: string;
  /** Where the in-process admission webhooks answer, and the CA that signed their certificate. */
  readonly webhook: { readonly url: string; readonly caPem: string };
  /** Stops the controller and waits for it (drains in-flight reconciles). */
  stop(): Promise<void>;
  /** Rejects when the controller fails on its own. */
  readonly failed: Promise<never>;
}

/**
 * `imageurl controller --webhook-cert-dir` in this process, as a user would run it: commands
 * from the repository's commands/ folder, the simulator as Hetzner Cloud, the registry
 * credentials as its OCI_REGISTRY_AUTH_TOKEN, the Robot simulator for dedicated servers, the admission webhooks on a loopback port. It logs JSON to a file so the terminal shows only the progress.
 */
export async function startDemoController(
  paths: DemoPaths,
  stack: DemoStack,
  wanted: {
    readonly logLevel: string;
    readonly kinds: readonly ServedKind[];
    /** A flavour's own settings (the Robot endpoint, bare-metal requeues). */
    readonly settings: Pick<ControllerSettings, 'robotEndpoint' | 'bareMetal'>;
    /** Kept out of the controller's log besides the registry token (the Robot password). */
    readonly secrets: readonly string[];
  },
): Promise<DemoController> {
  const logFile = join(paths.work, 'controller.log');
  const metricsPort = await freePort();
  const { certDir, port: webhookPort, url, caPem } = stack.webhook;
  const options = resolveRuntimeOptions(
    {
      kubeconfig: stack.controlPlane.kubeconfigPath,
      'metrics-bind-address': `127.0.0.1:${String(metricsPort)}`,
      'health-probe-bind-address': '0',
      'log-level': wanted.logLevel,
    },
    {},
  );
  const secrets = [stack.registryToken, ...wanted.secrets].filter((secret) => secret !== '');
  const stopper = new AbortController();
  const running = runController(
    options,
    {
      commandsDir: paths.commands,
      hcloudEndpoint: stack.cloud.endpoint,
      registryToken: stack.registryToken,
      webhook: { certDir, port: webhookPort, host: '127.0.0.1', kinds: wanted.kinds },
      ...wanted.settings,
    },
    {
      env: {},
      redact: (text) => secrets.reduce((redacted, secret) => redacted.split(secret).join('[REDACTED]'), text),
      logDestination: pino.destination({ dest: logFile, sync: true }),
    },
    stopper.signal,
  );
  const failed = running.then(
    () => Promise.reject(new Error('the controller stopped')),
    (error: unknown) => Promise.reject(error instanceof Error ? error : new Error(String(error))),
  );
  failed.catch(() => undefined);
  return {
    logFile,
    metricsUrl: `http://127.0.0.1:${String(metricsPort)}/metrics`,
    webhook: { url, caPem },
    failed,
    stop: async () => {
      stopper.abort();
      await running.catch(() => undefined);
    },
  };
}
