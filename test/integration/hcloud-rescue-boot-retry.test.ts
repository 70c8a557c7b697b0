import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { deleteAndExpectNoServer } from '../support/machine-assertions.js';
import {
  addMachine,
  REGISTRY_TOKEN,
  startMachineEnv,
  writeCommand,
  type MachineEnv,
} from '../support/machine-env.js';
import {
  conditionOf,
  eventsOf,
  getMachine,
  pollFor,
  StopWaiting,
  waitForBootState,
} from '../support/machine-observation.js';

/**
 * BootingToRescue's timeout in this controller (default 6 min). A rescue boot on a busy machine
 * took over 15 s, so this leaves the answering boot ample room.
 */
const RESCUE_BOOT_BUDGET_MS = 60_000;
const QUICK = 'image-url-command-quick';
const QUICK_SCRIPT = `#!/bin/bash
echo "installing $1"
echo IMAGE_URL_DONE
`;

describe('rescue-boot retry through the controller (kube-apiserver + Cloud simulator + rescue sshd)', () => {
  let env: MachineEnv | undefined;
  let controller: InProcessController | undefined;

  before(async () => {
    env = await startMachineEnv();
    await writeCommand(env, QUICK, QUICK_SCRIPT);
    controller = startTestController(env.controlPlane.kubeconfigPath, {
      commandsDir: env.commandsDir,
      hcloudEndpoint: env.cloud.sim.endpoint,
      registryToken: REGISTRY_TOKEN,
      provisioning: { timeoutsMs: { BootingToRescue: RESCUE_BOOT_BUDGET_MS } },
    });
  });

  after(async () => {
    await stopTestController(controller, async () => {
      await env?.stop();
    });
  });

  it('a server whose first rescue boot never answers reaches running after one reset', async () => {
    const e = env ?? assert.fail('no env');
    const name = 'silent-rescue';
    // The first rescue boot of this server uses up the activation but never answers SSH.
    e.cloud.sim.faults.add({ kind: 'boot', system: 'rescue', server: name, outcome: 'no-ssh', count: 1 });
    try {
      await addMachine(e, name, QUICK);
      // The reset comes only once the budget ran out: waited for as long as that takes.
      const reset = await pollFor(
        'a RescueBootReset event',
        async () => {
          const found = (await eventsOf(e, name)).find((event) => event.reason === 'RescueBootReset');
          if (found) return found;
          const status = (await getMachine(e, name)).status;
          const state = status?.bootState ?? '';
          if (state === 'OperatingSystemRunning' || state === 'ProvisioningFailed')
            throw new StopWaiting(`no reset, and ${state}: ${JSON.stringify(status)}`);
          return undefined;
        },
        { deadlineMs: RESCUE_BOOT_BUDGET_MS * 3, intervalMs: 500 },
      );
      const message = `rescue system did not answer within ${RESCUE_BOOT_BUDGET_MS / 1000} s; reset 1 of 2`;
      assert.equal(reset.type, 'Warning');
      assert.equal(reset.note, message);
      const machine = await waitForBootState(e, name, 'OperatingSystemRunning', RESCUE_BOOT_BUDGET_MS * 2);
      assert.equal(machine.status?.ready, true);
      assert.equal(conditionOf(machine, 'ServerProvisioned')?.status, 'True');
    } finally {
      e.cloud.sim.faults.clear();
    }
    const resets = e.cloud.sim.requests
      .recent()
      .filter(
        (request) =>
          request.method === 'POST' && request.path.endsWith('/actions/reset') && request.status < 300,
      );
    assert.equal(resets.length, 1, 'one power cycle');
    const events = (await eventsOf(e, name)).filter((event) => event.reason === 'RescueBootReset');
    assert.equal(events.length, 1);
    assert.equal((await getMachine(e, name)).status?.bootState, 'OperatingSystemRunning');
    await deleteAndExpectNoServer(e, name);
  });
});
