// `imageurl controller` as a child process the way the shipped Deployment runs it: its manager
// container's args and env as rendered from config/default, signed in as the ServiceAccount with
// an in-cluster config. Only what must point at the test differs (see deploymentArgs).
import { fileURLToPath } from 'node:url';
import { ProcessGroup } from '../../sim/process/process-group.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';
import type { InClusterLogin } from './service-account-login.js';
import type { ManagerContainer } from './shipped-manifests.js';

const BIN = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));

export interface TestEndpoints {
  /** The commands folder (the pod's /shared, filled by the initContainer). */
  readonly commandsDir: string;
  /** tls.crt and tls.key for the webhook server (the pod's cert-manager Secret volume). */
  readonly webhookCertDir: string;
  readonly hcloudEndpoint: string;
  readonly robotEndpoint: string;
}

/**
 * The Deployment's args with these substitutions, and nothing else changed:
 * - `--commands-dir`: the test's commands folder instead of the pod's `/shared` emptyDir;
 * - `--webhook-cert-dir`: a folder with a test CA's certificate instead of the Secret volume;
 * - `--webhook-port`, `--health-probe-bind-address`, `--metrics-bind-address`: a free loopback
 *   port each (`:0`), since the pod's fixed ports would collide with other tests on one machine;
 * and two additions: `--hcloud-endpoint` and `--robot-endpoint` name the Cloud and Robot
 * simulators (a pod talks to the real APIs, the default).
 * An arg the Deployment does not have fails, so a renamed flag cannot go unnoticed.
 */
export function deploymentArgs(manager: ManagerContainer, test: TestEndpoints): string[] {
  const replacements: Readonly<Record<string, string>> = {
    '--commands-dir': test.commandsDir,
    '--webhook-cert-dir': test.webhookCertDir,
    '--webhook-port': '0',
    '--health-probe-bind-address': '127.0.0.1:0',
    '--metrics-bind-address': '127.0.0.1:0',
  };
  const seen = new Set<string>();
  const args = manager.args.map((arg) => {
    const flag = arg.split('=')[0] ?? '';
    const value = replacements[flag];
    if (value === undefined) return arg;
    seen.add(flag);
    return `${flag}=${value}`;
  });
  const missing = Object.keys(replacements).filter((flag) => !seen.has(flag));
  if (missing.length > 0)
    throw new Error(`the Deployment's manager has no ${missing.join(', ')}=… arg any more`);
  return [...args, `--hcloud-endpoint=${test.hcloudEndpoint}`, `--robot-endpoint=${test.robotEndpoint}`];
}

export interface DeploymentControllerOptions {
  readonly manager: ManagerContainer;
  readonly endpoints: TestEndpoints;
  readonly login: InClusterLogin;
  /** Values of the env entries the Deployment takes from Secrets (e.g. OCI_REGISTRY_AUTH_TOKEN). */
  readonly secretEnv: Readonly<Record<string, string>>;
}

/**
 * Starts the controller and resolves once it leads and has started its workers. Its environment
 * is the Deployment's, the Secret values and the login's, plus PATH, HOME and TMPDIR: nothing of
 * the test's own (no KUBECONFIG, no IMAGEURL_* of the caller).
 */
export async function startDeploymentController(
  group: ProcessGroup,
  options: DeploymentControllerOptions,
): Promise<SupervisedProcess> {
  const { manager, endpoints, login, secretEnv } = options;
  const host = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR'].flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
  const child = group.start({
    name: 'imageurl controller (Deployment args, ServiceAccount token)',
    command: process.execPath,
    args: [BIN, ...deploymentArgs(manager, endpoints)],
    // Test commands write no bootable disk: their port refuses, so hcloud's status decides after 5 s.
    env: { ...host, ...manager.env, ...secretEnv, ...login.env, IMAGEURL_INSTALLED_OS_SSH_TIMEOUT: '5s' },
  });
  await child.waitForOutput((text) => text.includes('Starting controller'), 120_000);
  return child;
}

export { ProcessGroup };
