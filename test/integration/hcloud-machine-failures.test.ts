import assert from 'node:assert/strict';
import { hcloudMachinesKind } from '../support/provisioning-objects.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { after, before, describe, it } from 'node:test';
import {
  assertProvisioned,
  assertRemediated,
  consecutiveErrors,
  deleteAndExpectNoServer,
  sinceOf,
  waitForFailure,
  warningNote,
} from '../support/machine-assertions.js';
import {
  addMachine,
  addMachineIn,
  REGISTRY_TOKEN,
  startMachineEnv,
  writeCommand,
  type MachineEnv,
} from '../support/machine-env.js';
import {
  allServers,
  conditionOf,
  getMachine,
  pollFor,
  serversOf,
  waitForBootState,
} from '../support/machine-observation.js';

/** The RunningImageCommand timeout this controller runs with (default 7 min). */
const COMMAND_TIMEOUT_MS = 6_000;

const NO_MARKER = 'image-url-command-no-marker';
const NO_MARKER_SCRIPT = `#!/bin/bash
echo "fetching $1 with token $OCI_REGISTRY_AUTH_TOKEN"
echo "dd: error writing '/dev/$4': No space left on device" >&2
`;
const SLEEPER = 'image-url-command-sleeper';
const SLEEPER_SCRIPT = `#!/bin/bash
echo "downloading $1 for $3, this will take a while"
exec sleep 600
`;
const LATE = 'image-url-command-added-later';
const QUICK = 'image-url-command-quick';
const QUICK_SCRIPT = `#!/bin/bash
echo "installing $1"
echo IMAGE_URL_DONE
`;

describe('HCloudMachine failures through the controller (kube-apiserver + Cloud simulator + rescue sshd)', () => {
  let env: MachineEnv | undefined;
  let controller: InProcessController | undefined;

  before(async () => {
    env = await startMachineEnv();
    await writeCommand(env, NO_MARKER, NO_MARKER_SCRIPT);
    await writeCommand(env, SLEEPER, SLEEPER_SCRIPT);
    await writeCommand(env, QUICK, QUICK_SCRIPT);
    const settings = {
      commandsDir: env.commandsDir,
      hcloudEndpoint: env.cloud.sim.endpoint,
      registryToken: REGISTRY_TOKEN,
      // The token is for the registry of IMAGE_URL only (--registry-token-hosts).
      registryTokenHosts: ['registry.example.com'],
      provisioning: {
        timeoutsMs: { RunningImageCommand: COMMAND_TIMEOUT_MS },
        requeue: { commandMissingMs: 500 },
      },
    };
    controller = startTestController(env.controlPlane.kubeconfigPath, settings);
  });

  after(async () => {
    await stopTestController(controller, async () => {
      await env?.stop();
    });
  });

  it('a command missing from the commands folder: a condition naming it and the folder, no server; adding it lets the machine go on', async () => {
    const e = env ?? assert.fail('no env');
    await addMachine(e, 'missing-command', LATE);
    const machine = await pollFor(
      'the ImageURLCommandNotAccessible condition',
      async () => {
        const m = await getMachine(e, 'missing-command');
        return conditionOf(m, 'ServerProvisioned')?.reason === 'ImageURLCommandNotAccessible' ? m : undefined;
      },
      { deadlineMs: 30_000 },
    );
    assert.deepEqual(await allServers(e), [], 'no server exists while the command is missing');
    const message = assertProvisioned(machine, {
      reasons: ['ImageURLCommandNotAccessible', 'ImageURLCommandNotAccessible'],
      severity: 'Warning',
    });
    assert.ok(message.includes(`"${LATE}"`), `names the command: ${message}`);
    assert.ok(message.includes(e.commandsDir), `names the folder: ${message}`);
    assert.equal(machine.status?.bootState ?? '', '');

    await writeCommand(e, LATE, QUICK_SCRIPT);
    await waitForBootState(e, 'missing-command', 'OperatingSystemRunning', 60_000);
    assert.equal((await serversOf(e, 'missing-command')).length, 1);
    await deleteAndExpectNoServer(e, 'missing-command');
  });

  it('a command whose output lacks IMAGE_URL_DONE: ProvisioningFailed, a Warning event with the output, remediation', async () => {
    const e = env ?? assert.fail('no env');
    await addMachine(e, 'no-marker', NO_MARKER);
    const machine = await waitForFailure(e, 'no-marker');
    const message = assertProvisioned(machine, {
      reasons: ['CustomProvisionerFailed', 'CustomProvisionerFailed'],
      severity: 'Error',
    });
    assert.match(message, /IMAGE_URL_DONE not found/);
    assert.equal(conditionOf(machine, 'Ready')?.status, 'False');

    const note = await warningNote(e, 'no-marker');
    assert.match(note, /No space left on device/);
    assert.match(note, /fetching oci:\/\/registry\.example\.com\/images\/node:v1 with token \[REDACTED\]/);
    assert.ok(!note.includes(REGISTRY_TOKEN), 'the registry token is redacted');
    await assertRemediated(e, 'no-marker');
    await deleteAndExpectNoServer(e, 'no-marker');
  });

  it("never shows a presigned image URL's signature or password, and gives its command no registry token for another host", async () => {
    const e = env ?? assert.fail('no env');
    const presigned =
      'https://reader:PASSW0RD@bucket.example.com/node.img.zst?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=S1GNATURE0&sha256=abcd';
    await addMachine(e, 'presigned', NO_MARKER, presigned);
    await waitForFailure(e, 'presigned');
    const note = await warningNote(e, 'presigned');
    assert.match(note, /fetching https:\/\/\[REDACTED\]@bucket\.example\.com\/node\.img\.zst\?/);
    assert.match(note, /X-Amz-Signature=\[REDACTED\]/);
    assert.ok(!/S1GNATURE0|PASSW0RD|AKIAEXAMPLE/.test(note), note);
    // bucket.example.com is not the registry the token is bound to: the command got none.
    assert.match(note, /&sha256=abcd with token \n/);
    await deleteAndExpectNoServer(e, 'presigned');
  });

  it('a command running past the configured timeout: ProvisioningFailed and a Warning event with its output so far', async () => {
    const e = env ?? assert.fail('no env');
    await addMachine(e, 'sleeper', SLEEPER);
    const running = await waitForBootState(e, 'sleeper', 'RunningImageCommand', 60_000);
    const machine = await waitForFailure(e, 'sleeper');
    const message = assertProvisioned(machine, {
      reasons: ['RunningImageCommandTimedOut', 'RunningImageURLCommandTimedOut'],
      severity: 'Error',
    });
    assert.match(message, /^image URL command timed out, in this state since \d+s/);
    const ranMs = Date.parse(sinceOf(machine)) - Date.parse(sinceOf(running));
    assert.ok(ranMs >= COMMAND_TIMEOUT_MS, `failed only after the timeout (${ranMs} ms)`);

    const note = await warningNote(e, 'sleeper');
    assert.match(note, /image URL command timed out/);
    assert.match(note, /downloading oci:\/\/registry\.example\.com\/images\/node:v1 for sleeper/);
    await assertRemediated(e, 'sleeper');
    await deleteAndExpectNoServer(e, 'sleeper');
  });

  it('an hcloud API that keeps failing is retried with backoff (1 s, 2 s, …), not in a loop, and the machine goes on once it answers', async () => {
    const e = env ?? assert.fail('no env');
    const getServer = 'GET /v1/servers/:id';
    const failures = (): string[] =>
      e.cloud.sim.requests
        .recent()
        .filter((request) => request.endpoint === getServer && request.status === 503)
        .map((request) => request.at);
    e.cloud.sim.faults.add({ kind: 'request', method: 'GET', path: '/v1/servers/:id', status: 503 });
    try {
      await addMachine(e, 'api-down', QUICK);
      await pollFor(
        'three failed GetServer calls in a row',
        async () => ((await consecutiveErrors(e, 'api-down')) >= 3 ? true : undefined),
        { deadlineMs: 60_000 },
      );
      const seen = failures();
      assert.ok(seen.length <= 4, `${seen.length} calls for 3 errors in a row`);
      const spanMs = Date.parse(seen[2] ?? '') - Date.parse(seen[0] ?? '');
      assert.ok(spanMs >= 2_500, `the third call came ${spanMs} ms after the first (backoff 1 s + 2 s)`);
    } finally {
      e.cloud.sim.faults.clear();
    }
    await waitForBootState(e, 'api-down', 'OperatingSystemRunning', 90_000);
    assert.equal(await consecutiveErrors(e, 'api-down'), 0);
    await deleteAndExpectNoServer(e, 'api-down');
  });

  it('an unknown server type: one create attempt, a terminal condition naming spec.type, and no further create however often it is reconciled', async () => {
    const e = env ?? assert.fail('no env');
    // The client looks the type up before POST /servers; either call is the create attempt.
    const createAttempts = (): number =>
      e.cloud.sim.requests
        .recent()
        .filter((request) => /^(POST \/v1\/servers|GET \/v1\/server_types)$/.test(request.endpoint)).length;
    const before = createAttempts();
    await addMachineIn(e, {
      namespace: 'bad-type',
      name: 'bad-type',
      command: QUICK,
      serverType: 'cx99-unknown',
    });
    const condition = await pollFor(
      'ServerCreateSucceeded False with the irrecoverable reason',
      async () => {
        const found = conditionOf(await getMachine(e, 'bad-type'), 'ServerCreateSucceeded');
        return found?.reason === 'ServerCreateFailedIrrecoverableError' ? found : undefined;
      },
      { deadlineMs: 60_000 },
    );
    assert.match(condition.message ?? '', /spec\.type "cx99-unknown"/);
    assert.match(condition.message ?? '', /until the HCloudMachine spec changes/);
    assert.equal(createAttempts() - before, 1);

    // Reconciles keep coming (a label change each second); none sends the request again.
    const deadline = Date.now() + 10_000;
    for (let round = 0; Date.now() < deadline; round += 1) {
      await e.api.client.mergePatch(
        hcloudMachinesKind,
        { namespace: 'bad-type', name: 'bad-type' },
        { metadata: { labels: { 'test.imageurl.io/round': String(round) } } },
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    assert.equal(createAttempts() - before, 1, 'one create call in all');
    const machine = await getMachine(e, 'bad-type');
    assert.equal(machine.status?.bootState ?? '', '', 'waiting, not failed (no remediation)');
    assert.equal(await serversOf(e, 'bad-type').then((servers) => servers.length), 0);
  });
});
