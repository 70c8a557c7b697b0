import { Command } from '@commander-js/extra-typings';
import { HcloudServers } from '../../hetzner/cloud/index.js';
import {
  createRuntime,
  LeaderElectionLostError,
  resolveRuntimeOptions,
  RUNTIME_FLAGS,
  terminationSignal,
  type RuntimeDependencies,
  type RuntimeOptions,
} from '../../kube/index.js';
import { systemClock } from '../../ports/clock.js';
import type { CloudServers } from '../../ports/cloud-servers.js';
import { directoryCommandResolver, type SettingsOverrides } from '../../provisioning/index.js';
import { addHCloudMachineController } from '../../reconcilers/hcloud-machine/index.js';
import { createSshRescueSystem } from '../../rescue/index.js';

export interface ControllerSettings {
  /** Where imageURLCommand names are resolved (default /shared). */
  readonly commandsDir: string;
  /** The Hetzner Cloud API (default the real one). */
  readonly hcloudEndpoint?: string;
  /** OCI_REGISTRY_AUTH_TOKEN of this process, handed to the commands. */
  readonly registryToken?: string;
  readonly provisioning?: SettingsOverrides;
}

/** One HcloudServers per token, kept for the life of the process (its request budget is per token). */
function cloudCache(endpoint: string | undefined): (token: string) => CloudServers {
  const cache = new Map<string, HcloudServers>();
  return (token) => {
    let servers = cache.get(token);
    if (!servers) {
      servers = new HcloudServers({ token, ...(endpoint === undefined ? {} : { endpoint }) });
      cache.set(token, servers);
    }
    return servers;
  };
}

/** Runs the controller until `signal` aborts (or the leader lease is lost: that rejects). */
export async function runController(
  options: RuntimeOptions,
  settings: ControllerSettings,
  deps: RuntimeDependencies,
  signal: AbortSignal,
): Promise<void> {
  const runtime = createRuntime(options, deps);
  addHCloudMachineController(
    runtime,
    {
      client: runtime.client,
      cloudFor: cloudCache(settings.hcloudEndpoint),
      rescue: createSshRescueSystem(),
      commands: directoryCommandResolver(settings.commandsDir),
      clock: systemClock(),
      ...(settings.registryToken ? { registryToken: settings.registryToken } : {}),
      ...(settings.provisioning ? { settings: settings.provisioning } : {}),
    },
    { workers: options.concurrency },
  );
  try {
    await runtime.manager.run(signal);
  } finally {
    runtime.transport.close();
  }
}

type FlagValues = Record<string, string | boolean | undefined>;

/** commander's camelCase keys back to the runtime's flag names. */
function runtimeFlagValues(values: FlagValues): FlagValues {
  const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return Object.fromEntries(RUNTIME_FLAGS.map((spec) => [spec.flag, values[camel(spec.flag)]]));
}

/** `imageurl controller`: the HCloudMachine controller until SIGTERM or SIGINT. */
export function controllerCommand(env: NodeJS.ProcessEnv): Command {
  const command = new Command('controller')
    .description('run the HCloudMachine controller (image-url provisioning) until SIGTERM')
    .option('--commands-dir <dir>', 'folder the imageURLCommand names are resolved in', '/shared')
    .option('--hcloud-endpoint <url>', 'Hetzner Cloud API endpoint (default the real one)');
  for (const spec of RUNTIME_FLAGS) {
    const flag = spec.kind === 'boolean' ? `--${spec.flag}` : `--${spec.flag} <value>`;
    command.option(flag, `${spec.description} [$${spec.env}]`);
  }
  command.action(async (values) => {
    const all = values as FlagValues & { commandsDir: string; hcloudEndpoint?: string };
    const options = resolveRuntimeOptions(runtimeFlagValues(all), env);
    const termination = terminationSignal(process);
    const registryToken = env['OCI_REGISTRY_AUTH_TOKEN'];
    const settings: ControllerSettings = {
      commandsDir: all.commandsDir,
      ...(all.hcloudEndpoint ? { hcloudEndpoint: all.hcloudEndpoint } : {}),
      ...(registryToken ? { registryToken } : {}),
    };
    try {
      await runController(options, settings, { env, redact: redactor(registryToken) }, termination.signal);
    } catch (error) {
      if (!(error instanceof LeaderElectionLostError)) throw error;
      process.exitCode = 3;
    } finally {
      termination.dispose();
    }
  });
  return command;
}

/** Hides the registry token from logs and event notes. */
function redactor(secret: string | undefined): (text: string) => string {
  return (text) => (secret ? text.split(secret).join('[REDACTED]') : text);
}
