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
  // Most tests' commands write no bootable image, so nothing answers SSH after leaving rescue:
  // a short budget lets them reach OperatingSystemRunning through the hcloud-status fallback.
  const withBudget: ControllerSettings = {
    ...settings,
    provisioning: { installedOSAnswerBudgetMs: TEST_INSTALLED_OS_BUDGET_MS, ...settings.provisioning },
  };
  return startInProcessController((signal) => runController(options, withBudget, { env: {} }, signal));
}

/** How long test controllers wait for an installed OS's SSH unless a test says otherwise. */
export const TEST_INSTALLED_OS_BUDGET_MS = 5_000;

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
