import { join } from 'node:path';
import pino from 'pino';
import { freePort } from '../../sim/process/free-port.js';
import { runController } from '../cli/commands/controller.js';
import { resolveRuntimeOptions } from '../kube/index.js';
import type { DemoPaths } from './demo-paths.js';
import type { DemoStack } from './demo-stack.js';

export interface DemoController {
  readonly logFile: string;
  readonly metricsUrl: string;
  /** Stops the controller and waits for it (drains in-flight reconciles). */
  stop(): Promise<void>;
  /** Rejects when the controller fails on its own. */
  readonly failed: Promise<never>;
}

/**
 * `imageurl controller` in this process, as a user would run it: commands from the repository's
 * commands/ folder, the simulator as Hetzner Cloud, the registry credentials as its
 * OCI_REGISTRY_AUTH_TOKEN. It logs JSON to a file so the terminal shows only the progress.
 */
export async function startDemoController(
  paths: DemoPaths,
  stack: DemoStack,
  logLevel: string,
): Promise<DemoController> {
  const logFile = join(paths.work, 'controller.log');
  const metricsPort = await freePort();
  const options = resolveRuntimeOptions(
    {
      kubeconfig: stack.controlPlane.kubeconfigPath,
      'metrics-bind-address': `127.0.0.1:${String(metricsPort)}`,
      'health-probe-bind-address': '0',
      'log-level': logLevel,
    },
    {},
  );
  const secret = stack.registryToken;
  const stopper = new AbortController();
  const running = runController(
    options,
    { commandsDir: paths.commands, hcloudEndpoint: stack.cloud.endpoint, registryToken: secret },
    {
      env: {},
      redact: (text) => text.split(secret).join('[REDACTED]'),
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
    failed,
    stop: async () => {
      stopper.abort();
      await running.catch(() => undefined);
    },
  };
}
