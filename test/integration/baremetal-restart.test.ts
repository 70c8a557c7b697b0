import assert from 'node:assert/strict';
import { readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createNamespace } from '../support/kube-objects.js';
import { eventually } from '../support/kube-runtime-fixtures.js';
import {
  bareMetalHostsKind,
  bareMetalMachinesKind,
  type BareMetalHost,
  type BareMetalMachine,
} from '../support/bare-metal-objects.js';
import {
  createBareMetalClusterObjects,
  createBareMetalHost,
  createMachine,
} from '../support/bare-metal-provisioning-objects.js';
import {
  diskCommandIn,
  startBareMetalWorld,
  type BareMetalWorld,
} from '../support/bare-metal-provisioning.js';
import { ControllerProcesses } from '../support/controller-process.js';
import { connectWhenUp } from '../support/sim-ssh.js';

const MiB = 1024 * 1024;
const CLUSTER = 'bm-cluster';
const COMMAND = 'image-url-command-counted';

/** The host states before provisioned (docs/baremetal-state-machine.md), one host each. */
const STATES = ['preparing', 'registering', 'image-installing', 'ensure-provisioned'] as const;
type State = (typeof STATES)[number];

const SERVERS: Record<State, number> = {
  preparing: 201,
  registering: 202,
  'image-installing': 203,
  'ensure-provisioned': 204,
};

/** Namespace, machine and (CAPH) host name of each state's machine. */
const namespaceOf = (state: State): string => `bmr-${state}`;
const machineOf = (state: State): string => `restart-${state}`;
const hostOf = (state: State): string => `host-${SERVERS[state]}`;
const hostnameOf = (state: State): string => `bm-${machineOf(state)}`;

/**
 * Appends the host name ($3) to `runs` when it starts (one line per run), waits while
 * `hold-<host name>` exists (the test holds image-installing that way: the command runs, its
 * host stays in the state), sleeps a little and then runs the real disk command.
 */
const commandScript = (scratch: string): string => `#!/bin/bash
echo "$3" >> '${scratch}/command-runs'
while [ -e '${scratch}/hold-'"$3" ]; do sleep 0.2; done
sleep 2
exec '${diskCommandIn(scratch)}' "$@"
`;

type HostStatus = Record<string, unknown> & {
  provisioningState?: string;
  errorType?: string;
  ipv4?: string;
};

describe('the bare-metal controller killed in each host state (controller processes + kube-apiserver + Robot simulator + OCI registry)', () => {
  let world: BareMetalWorld | undefined;
  let controllers: ControllerProcesses | undefined;

  before(async () => {
    world = await startBareMetalWorld({
      servers: STATES.map((state, i) => ({
        number: SERVERS[state],
        name: `dedicated-${i + 1}`,
        disks: [{ name: 'sda', sizeBytes: 64 * MiB, wwn: `0x5000c500${SERVERS[state]}00` }],
      })),
      // The child controllers run with the default requeues (e.g. 15 s after a reboot).
      bareMetal: {},
      controller: 'none',
      // A rescue boot of 8 s keeps `registering` long enough to be seen and killed in.
      robotDurations: { rescueBootMs: 8_000, resetServerMs: 500, osBootMs: 2_000 },
    });
    const command = join(world.commandsDir, COMMAND);
    await writeFile(command, commandScript(world.scratch));
    await chmod(command, 0o755);
    controllers = new ControllerProcesses({
      kubeconfigPath: world.controlPlane.kubeconfigPath,
      commandsDir: world.commandsDir,
      robotEndpoint: world.robot.endpoint,
      env: { OCI_REGISTRY_AUTH_TOKEN: world.registryToken },
    });
    await controllers.start();
  });

  after(async () => {
    try {
      await controllers?.stopAll();
    } finally {
      await world?.stop();
    }
    assert.deepEqual(world?.robot.errors ?? [], []);
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

  async function addMachine(w: BareMetalWorld, state: State): Promise<void> {
    const namespace = namespaceOf(state);
    await createNamespace(w.controlPlane.kubeConfig(), namespace);
    await createBareMetalClusterObjects(w.api.client, {
      namespace,
      cluster: CLUSTER,
      robot: { user: w.robot.user, password: w.robot.password },
      rescueKey: w.rescueKey,
      osKey: w.osKey,
    });
    await createBareMetalHost(w.api.client, {
      namespace,
      name: hostOf(state),
      serverID: SERVERS[state],
      rootDeviceHints: { wwn: `0x5000c500${SERVERS[state]}00` },
    });
    await createMachine(w.api.client, {
      namespace,
      cluster: CLUSTER,
      name: machineOf(state),
      imageUrl: w.imageUrl,
      command: COMMAND,
    });
  }

  const hostStatus = async (w: BareMetalWorld, state: State): Promise<HostStatus> =>
    (await w.api.client.get<BareMetalHost>(bareMetalHostsKind, namespaceOf(state), hostOf(state))).spec
      .status ?? {};

  async function waitForState(
    w: BareMetalWorld,
    state: State,
    target: string,
    deadlineMs: number,
  ): Promise<void> {
    await eventually(
      `host of ${machineOf(state)} to reach ${target}`,
      async () => (await hostStatus(w, state)).provisioningState === target,
      deadlineMs,
    );
  }

  async function commandRuns(w: BareMetalWorld, state: State): Promise<number> {
    const text = await readFile(join(w.scratch, 'command-runs'), 'utf8').catch(() => '');
    return text.split('\n').filter((line) => line === hostnameOf(state)).length;
  }

  it('SIGKILLed with a host in each state, a new controller process converges: provisioned, one command run per host', async () => {
    const w = world ?? assert.fail('no world');
    const c = controllers ?? assert.fail('no controllers');
    await explained(async () => {
      // Holds: preparing stops at the reset (Robot answers 503 after the rescue was armed),
      // image-installing at the running command (a hold file), ensure-provisioned at naming the
      // server in Robot (503), before its reboot. registering is not held: it lasts the rescue
      // boot (8 s) plus the controller's requeue, so its machine is added last.
      w.robot.faults.add([
        { kind: 'request', method: 'POST', path: `/reset/${SERVERS.preparing}`, status: 503 },
        { kind: 'request', method: 'POST', path: `/server/${SERVERS['ensure-provisioned']}`, status: 503 },
      ]);
      const hold = join(w.scratch, `hold-${hostnameOf('image-installing')}`);
      await writeFile(hold, '');
      await Promise.all(
        (['preparing', 'image-installing', 'ensure-provisioned'] as const).map((state) =>
          addMachine(w, state),
        ),
      );
      await waitForState(w, 'preparing', 'preparing', 60_000);
      await eventually(
        'the preparing host’s rescue system to be armed',
        () => w.robot.servers().find((s) => s.number === SERVERS.preparing)?.rescueActive === true,
        60_000,
      );
      await waitForState(w, 'image-installing', 'image-installing', 120_000);
      await eventually(
        'the held command to run',
        async () => (await commandRuns(w, 'image-installing')) === 1,
        60_000,
      );
      await waitForState(w, 'ensure-provisioned', 'ensure-provisioned', 150_000);
      await addMachine(w, 'registering');
      await waitForState(w, 'registering', 'registering', 60_000);

      await c.kill();
      for (const state of STATES) {
        assert.equal((await hostStatus(w, state)).provisioningState, state, `${state}: killed in it`);
      }
      w.robot.faults.clear();
      await rm(hold);
      await c.start();

      await Promise.all(STATES.map((state) => waitForState(w, state, 'provisioned', 150_000)));
      for (const state of STATES) {
        const providerID = `hcloud://bm-${SERVERS[state]}`;
        await eventually(`${state}: the machine to be ready with providerID ${providerID}`, async () => {
          const machine = await w.api.client.get<BareMetalMachine>(
            bareMetalMachinesKind,
            namespaceOf(state),
            machineOf(state),
          );
          return machine.status?.ready === true && machine.spec.providerID === providerID;
        });
        const status = await hostStatus(w, state);
        assert.equal(status.errorType, undefined, `${state}: no error`);
        assert.equal(await commandRuns(w, state), 1, `${state}: the command ran once`);
        const os = await connectWhenUp(status.ipv4 ?? '', w.osKey.privateKey);
        try {
          const hostname = (await os.exec('hostname')).stdout.toString().trim();
          assert.equal(hostname, hostnameOf(state), `${state}: the installed OS answers`);
        } finally {
          os.end();
        }
      }
      assert.equal(c.starts, 2);
    });
  });
});
