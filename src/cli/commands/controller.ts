import { Command } from '@commander-js/extra-typings';
import { readBuildInfo, shortCommit } from '../build-info.js';
import type { LoadServedDefinitions } from '../served-kinds.js';
import { addControllerFlags, controllerConfig } from './controller-flags.js';

/**
 * `imageurl controller`: the HCloudMachine, HetznerCluster, HetznerBareMetalMachine and
 * HetznerBareMetalHost controllers, and with `--webhook-cert-dir` the admission webhooks of
 * `kinds`, until SIGTERM or SIGINT.
 */
export function controllerCommand(
  env: NodeJS.ProcessEnv,
  served: LoadServedDefinitions,
  version: string,
): Command {
  const command = addControllerFlags(
    new Command('controller').description(
      'run the HCloudMachine, HetznerCluster, HetznerBareMetalMachine, HetznerBareMetalHost and HCloudRemediation controllers (and the webhooks) until SIGTERM',
    ),
  );
  command.action(async (values) => {
    const { options, settings, warnings } = controllerConfig(values, env, (await served()).admissions);
    const build = await readBuildInfo();
    // Loaded only when the controller runs: `controller --help` stays fast.
    const [{ LeaderElectionLostError, terminationSignal }, { runController }] = await Promise.all([
      import('../../kube/index.js'),
      import('../../setup/index.js'),
    ]);
    const termination = terminationSignal(process);
    try {
      // runController's redactor knows the registry token and every Secret value it reads.
      const started = { ...settings, version: `${version} (commit ${shortCommit(build)})`, warnings };
      await runController(options, started, { env }, termination.signal);
    } catch (error) {
      if (!(error instanceof LeaderElectionLostError)) throw error;
      process.exitCode = 3;
    } finally {
      termination.dispose();
    }
  });
  return command;
}
