// The tests' handle on an in-process controller (the bench worlds use the same one), and the
// way every controller test starts and stops it.
import { resolveRuntimeOptions } from '../../src/kube/index.js';
import { runController, type ControllerSettings } from '../../src/setup/index.js';
import { startInProcessController, type InProcessController } from '../../bench/in-process-controller.js';

export { startInProcessController, type InProcessController };

/**
 * The controller in this process against `kubeconfig`, quiet unless IMAGEURL_TEST_LOG names a
 * level, with no metrics or probe listener unless `flags` (runtime flags by name) ask for one.
 */
export function startTestController(
  kubeconfig: string,
  settings: ControllerSettings,
  flags: Readonly<Record<string, string>> = {},
): InProcessController {
  const options = resolveRuntimeOptions(
    {
      kubeconfig,
      'metrics-bind-address': '0',
      'health-probe-bind-address': '0',
      'log-level': process.env.IMAGEURL_TEST_LOG ?? 'silent',
      ...flags,
    },
    {},
  );
  return startInProcessController((signal) => runController(options, settings, { env: {} }, signal));
}

/**
 * Stops the controller, then runs `cleanup`; a controller that crashed while the tests ran fails
 * the file, once everything is stopped.
 */
export async function stopTestController(
  controller: InProcessController | undefined,
  cleanup: () => Promise<unknown>,
): Promise<void> {
  const crash = await controller?.stop().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  await cleanup();
  if (crash !== undefined) throw crash;
}
