import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ControllerProcesses } from '../support/controller-process.js';
import { deleteAndExpectNoServer } from '../support/machine-assertions.js';
import {
  addMachine,
  REGISTRY_TOKEN,
  startMachineEnv,
  writeCommand,
  type MachineEnv,
} from '../support/machine-env.js';
import { allServers, serversOf, waitForBootState, type HappyState } from '../support/machine-observation.js';

/** Every state of the happy path before OperatingSystemRunning, in order. */
const STATES = [
  'Initializing',
  'EnablingRescue',
  'BootingToRescue',
  'RunningImageCommand',
  'BootingToRealOS',
] as const satisfies readonly HappyState[];
type State = (typeof STATES)[number];

/** Slow enough that each state lasts seconds and is seen by polling every 50 ms. */
const DURATIONS = {
  createServerMs: 3_000,
  rescueToggleMs: 3_000,
  startServerMs: 500,
  rescueBootMs: 2_500,
  resetServerMs: 500,
  deleteServerMs: 500,
};
const COMMAND = 'image-url-command-counted';
/** Appends the machine name to `runs` when it starts: one line per run. */
const commandScript = (runs: string): string => `#!/bin/bash
echo "$3" >> ${runs}
echo "installing $1 onto /dev/$4"
sleep 4
echo IMAGE_URL_DONE
`;

/** E.g. restart-booting-to-real-os: the namespace, the HCloudMachine and its server. */
const nameOf = (prefix: string, state: State): string =>
  `${prefix}-${state.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;

describe('the controller killed, or the HCloudMachine deleted, in each boot state (controller processes + kube-apiserver + Cloud simulator)', () => {
  let env: MachineEnv | undefined;
  let controllers: ControllerProcesses | undefined;
  let runs = '';

  before(async () => {
    env = await startMachineEnv(DURATIONS);
    runs = join(env.scratchDir, 'command-runs');
    await writeCommand(env, COMMAND, commandScript(runs));
    controllers = new ControllerProcesses({
      kubeconfigPath: env.controlPlane.kubeconfigPath,
      commandsDir: env.commandsDir,
      hcloudEndpoint: env.cloud.sim.endpoint,
      env: { OCI_REGISTRY_AUTH_TOKEN: REGISTRY_TOKEN },
    });
    await controllers.start();
  });

  after(async () => {
    await controllers?.stopAll();
    await env?.stop();
  });

  /** Adds the controllers' output to a failure, which is where the explanation usually is. */
  async function explained(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      const output = controllers?.output().slice(-12_000) ?? '';
      throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
    }
  }

  /**
   * Waits until the machine is in `state`. BootingToRealOS lasts only a reconcile or two (hcloud
   * says `running` right after the reboot), so it is held: GET /servers/{id} answers 503 until
   * the returned release is called.
   */
  async function reach(e: MachineEnv, name: string, state: State): Promise<() => void> {
    if (state !== 'BootingToRealOS') {
      await waitForBootState(e, name, state, 60_000);
      return () => undefined;
    }
    const running = await waitForBootState(e, name, 'RunningImageCommand', 60_000);
    const path = `/v1/servers/${(running.spec.providerID ?? '').slice('hcloud://'.length)}`;
    e.cloud.sim.faults.add({ kind: 'request', method: 'GET', path, status: 503, code: 'unavailable' });
    await waitForBootState(e, name, state, 60_000);
    return () => e.cloud.sim.faults.clear();
  }

  async function commandRuns(name: string): Promise<number> {
    const text = await readFile(runs, 'utf8').catch(() => '');
    return text.split('\n').filter((line) => line === name).length;
  }

  it('SIGKILLed in each state, a new controller process converges: one server and one command run per machine', async () => {
    const e = env ?? assert.fail('no env');
    const c = controllers ?? assert.fail('no controllers');
    await explained(async () => {
      for (const state of STATES) {
        const name = nameOf('restart', state);
        await addMachine(e, name, COMMAND);
        const release = await reach(e, name, state);
        await c.kill();
        release();
        await c.start();
      }
      for (const state of STATES) {
        const name = nameOf('restart', state);
        const machine = await waitForBootState(e, name, 'OperatingSystemRunning', 120_000);
        const servers = await serversOf(e, name);
        assert.equal(servers.length, 1, `${name}: exactly one server (${JSON.stringify(servers)})`);
        const server = servers[0] ?? assert.fail();
        assert.deepEqual(server.labels, {
          'caph-cluster-my-cluster': 'owned',
          'machine.caph-name': name,
          machine_type: 'worker',
          'imageurl.io/namespace': name,
        });
        assert.equal(machine.spec.providerID, `hcloud://${server.id}`, name);
        assert.equal(machine.status?.ready, true, name);
        assert.equal(await commandRuns(name), 1, `${name}: the command ran once`);
      }
      assert.equal(c.starts, STATES.length + 1);
      assert.equal((await allServers(e)).length, STATES.length, 'no server of any other name');
    });
  });

  it('deleted in each state, the HCloudMachine disappears and leaves no server behind', async () => {
    const e = env ?? assert.fail('no env');
    await controllers?.ensureRunning();
    await explained(async () => {
      await Promise.all(
        STATES.map(async (state) => {
          const name = nameOf('delete', state);
          await addMachine(e, name, COMMAND);
          const release = await reach(e, name, state);
          try {
            await deleteAndExpectNoServer(e, name);
          } finally {
            release();
          }
        }),
      );
      const left = (await allServers(e)).map((server) => server.name).sort();
      assert.deepEqual(left, STATES.map((state) => nameOf('restart', state)).sort());
    });
  });
});
