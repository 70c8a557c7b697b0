import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { assertProvisioned, eventWith, waitForFailure } from '../support/machine-assertions.js';
import {
  addMachine,
  REGISTRY_TOKEN,
  startMachineEnv,
  writeCommand,
  type MachineEnv,
} from '../support/machine-env.js';
import { getMachine, serversOf, waitForBootState } from '../support/machine-observation.js';
import { connectWhenUp } from '../support/sim-ssh.js';

const STATE_ANNOTATION = 'imageurl.io/provisioning-state';
const COMMAND = 'image-url-command-long';
/** Appends the machine name to `runs` when it starts (one line per run), then keeps running. */
const commandScript = (runs: string): string => `#!/bin/bash
echo "$3" >> '${runs}'
echo "installing $1"
exec sleep 600
`;

describe('HCloudMachine rescue host key across a controller restart (kube-apiserver + Cloud simulator + rescue sshd)', () => {
  let env: MachineEnv | undefined;
  let controller: InProcessController | undefined;
  let runs = '';

  function startController(e: MachineEnv): InProcessController {
    const settings = {
      commandsDir: e.commandsDir,
      hcloudEndpoint: e.cloud.sim.endpoint,
      registryToken: REGISTRY_TOKEN,
    };
    return startTestController(e.controlPlane.kubeconfigPath, settings);
  }

  before(async () => {
    env = await startMachineEnv();
    runs = join(env.scratchDir, 'command-runs');
    await writeCommand(env, COMMAND, commandScript(runs));
    controller = startController(env);
  });

  after(async () => {
    await stopTestController(controller, async () => {
      await env?.stop();
    });
  });

  it('a restarted controller keeps the pin: another key within the boot fails the machine, and nothing is uploaded to it', async () => {
    const e = env ?? assert.fail('no env');
    const name = 'rekeyed';
    await addMachine(e, name, COMMAND);
    await waitForBootState(e, name, 'RunningImageCommand', 60_000);
    const running = await getMachine(e, name);
    const pin = (
      JSON.parse(running.metadata.annotations?.[STATE_ANNOTATION] ?? '{}') as { rescueHostKey?: string }
    ).rescueHostKey;
    assert.match(pin ?? '', /^SHA256:/, 'the rescue boot is pinned in the bookkeeping annotation');
    assert.equal((await readFile(runs, 'utf8')).trim(), name, 'the command started once');

    await controller?.stop();
    controller = undefined;
    const server = (await serversOf(e, name))[0] ?? assert.fail('no server');
    const address = e.cloud.sim.servers().find((s) => s.id === server.id)?.address ?? assert.fail();
    const impostor = await e.cloud.sim.replaceSystem(server.id, {
      hostname: 'rescue',
      authorizedKeys: [e.rescueKey.publicKey],
    });
    assert.notEqual(impostor.hostKeyFingerprint, pin);
    controller = startController(e);

    const failed = await waitForFailure(e, name);
    const message = assertProvisioned(failed, {
      reasons: ['RescueHostKeyChanged', 'RescueHostKeyChanged'],
      severity: 'Error',
    });
    assert.match(message, /host key differs from the one pinned/);
    const warning = await eventWith(e, name, 'HCloudMachineWillBeRemediated');
    assert.equal(warning.type, 'Warning');
    assert.match(warning.note ?? '', /host key differs from the one pinned/);
    assert.equal((await readFile(runs, 'utf8')).trim(), name, 'the command never started again');
    const shell = await connectWhenUp(address, e.rescueKey.privateKey);
    try {
      const listed = await shell.exec('ls -A /root');
      assert.equal(listed.stdout.toString().trim(), '.ssh', 'no command, bootstrap data or token reached it');
    } finally {
      shell.end();
    }
  });
});
