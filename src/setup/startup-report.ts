import { readdir } from 'node:fs/promises';
import type { Runtime, RuntimeOptions } from '../kube/index.js';
import type { ControllerSettings } from './controller-settings.js';

/** How many entries the commands folder holds; undefined when it cannot be read. */
async function countCommands(dir: string): Promise<number | undefined> {
  try {
    return (await readdir(dir)).length;
  } catch {
    return undefined;
  }
}

/**
 * The one start-up line an operator checks first (what runs against what, and with which
 * commands), then a warning per thing that will make machines fail: no commands folder, and the
 * ignored flags the command line named.
 */
export async function reportStartup(
  runtime: Runtime,
  options: RuntimeOptions,
  settings: ControllerSettings,
): Promise<void> {
  const { log } = runtime;
  const commands = await countCommands(settings.commandsDir);
  log.info(
    {
      version: settings.version ?? 'unknown',
      apiserver: runtime.transport.server,
      namespace: options.namespace ?? 'all',
      watchFilter: options.watchFilter ?? 'none',
      commandsDir: settings.commandsDir,
      commands: commands ?? 0,
      webhook: settings.webhook ? `on, port ${settings.webhook.port}` : 'off',
      leaderElect: options.leaderElect,
    },
    'Starting imageurl controller',
  );
  if (commands === undefined)
    log.warn(
      { commandsDir: settings.commandsDir },
      `Commands folder ${settings.commandsDir} is missing or unreadable: every machine will fail with ImageURLCommandNotAccessible; set --commands-dir`,
    );
  else if (commands === 0)
    log.warn(
      { commandsDir: settings.commandsDir },
      `Commands folder ${settings.commandsDir} is empty: every machine will fail with ImageURLCommandNotAccessible`,
    );
  for (const warning of settings.warnings ?? []) log.warn(warning);
}
