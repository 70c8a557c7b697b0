import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { waitForFailure } from '../support/machine-assertions.js';
import {
  addMachine,
  IMAGE_URL,
  startMachineEnv,
  writeCommand,
  type MachineEnv,
} from '../support/machine-env.js';
import { conditionOf, getMachine, pollFor, v1beta2ConditionOf } from '../support/machine-observation.js';
import { allCommandLines, tryCommand } from '../support/try-command.js';

/**
 * The command timeout of both paths: the controller's setting and try-command's --timeout. Long
 * enough that the controller looks at a quick command (after its first requeue) well before it.
 */
const TIMEOUT_MS = 30_000;
const TOKEN = 'try-5ecr3t-t0ken-value';

/**
 * One table, run through both paths: an HCloudMachine provisioned by the controller (Cloud
 * simulator, rescue sshd) and `imageurl try-command`. Each case must end the same way, with
 * the same condition reasons and message.
 */
// prettier-ignore
const cases = [
  { name: 'tc-done',         script: 'echo "installing $1"\necho IMAGE_URL_DONE',               outcome: 'passed' },
  { name: 'tc-nonzero-done', script: 'echo IMAGE_URL_DONE\nexit 3',                             outcome: 'passed' },
  { name: 'tc-no-marker',    script: 'echo "wrote the image, forgot the marker"',              outcome: 'failed' },
  { name: 'tc-after-marker', script: 'echo IMAGE_URL_DONE\necho "one more line"',              outcome: 'failed' },
  { name: 'tc-exit-1',       script: 'echo "dd: error writing /dev/$4: No space left" >&2\nexit 1', outcome: 'failed' },
  { name: 'tc-too-slow',     script: 'echo "downloading"\nexec sleep 600',                     outcome: 'failed' },
  { name: 'tc-not-exec',     script: null,                                                       outcome: 'failed' },
] as const;

function commandName(name: string): string {
  return `image-url-command-${name}`;
}

function scriptOf(script: string | null): string {
  // A file the rescue system cannot execute: its interpreter does not exist.
  return script === null ? '#!/nonexistent/interpreter\necho IMAGE_URL_DONE\n' : `#!/bin/bash\n${script}\n`;
}

interface Verdict {
  readonly outcome: string;
  readonly reasons?: readonly [string | null | undefined, string | undefined];
  readonly message?: string;
}

describe('imageurl try-command (real sshd, loop-device disks) against the controller', () => {
  let env: MachineEnv | undefined;
  let controller: InProcessController | undefined;

  before(async () => {
    env = await startMachineEnv();
    for (const c of cases) await writeCommand(env, commandName(c.name), scriptOf(c.script));
    controller = startTestController(env.controlPlane.kubeconfigPath, {
      commandsDir: env.commandsDir,
      hcloudEndpoint: env.cloud.sim.endpoint,
      provisioning: {
        timeoutsMs: { RunningImageCommand: TIMEOUT_MS },
        requeue: { afterCommandStartMs: 2_000 },
      },
    });
  });

  after(async () => {
    await stopTestController(controller, async () => {
      await env?.stop();
    });
  });

  it('gives the verdict, reasons and message the controller gives, case by case', async () => {
    const e = env ?? assert.fail('no env');
    const viaController = Promise.all(cases.map((c) => controllerVerdict(e, c.name)));
    const viaTryCommand: Verdict[] = [];
    for (const c of cases) viaTryCommand.push(await tryCommandVerdict(e, c.name));
    const controllerVerdicts = await viaController;
    for (const [index, c] of cases.entries()) {
      const [fromController, fromTry] = [controllerVerdicts[index], viaTryCommand[index]];
      assert.equal(fromTry?.outcome, c.outcome, `${c.name}: try-command ${JSON.stringify(fromTry)}`);
      assert.equal(
        fromController?.outcome,
        c.outcome,
        `${c.name}: controller ${JSON.stringify(fromController)}`,
      );
      assert.deepEqual(fromTry.reasons, fromController.reasons, `${c.name}: reasons`);
      if (c.name === 'tc-too-slow') {
        assert.deepEqual(fromTry.reasons, ['RunningImageCommandTimedOut', 'RunningImageURLCommandTimedOut']);
        for (const verdict of [fromTry, fromController])
          assert.match(verdict.message ?? '', /^image URL command timed out, in this state since \d/);
      } else {
        assert.equal(fromTry.message, fromController.message, `${c.name}: message`);
      }
    }
  });

  it('reports the partitions, the ESP and the NoCloud seed a disk command wrote', async () => {
    const e = env ?? assert.fail('no env');
    await writeCommand(e, commandName('tc-seed'), SEED_COMMAND);
    const run = await tryCommand([
      join(e.commandsDir, commandName('tc-seed')),
      '--image-url',
      IMAGE_URL,
      '--disks',
      '1G',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.result.outcome, 'passed');
    assert.ok((run.result.writtenBytes ?? 0) > 0, 'counts the bytes written');
    const [disk] = run.result.disks ?? [];
    assert.equal(disk?.partitionTable, 'gpt');
    assert.deepEqual(
      disk.partitions.map((p) => [p.node, p.esp, p.filesystem?.type, p.filesystem?.label]),
      [
        ['sda1', true, 'vfat', 'ESP'],
        ['sda2', false, 'vfat', 'CIDATA'],
      ],
    );
    assert.deepEqual(disk.bootLoaders, ['UEFI /EFI/BOOT/BOOTX64.EFI on sda1']);
    assert.deepEqual(disk.bootstrapData, [
      { kind: 'nocloud-seed-partition', where: 'sda2 (vfat CIDATA)', files: ['user-data', 'meta-data'] },
    ]);
  });

  it('gives two disks as WWNs with --device-string wwn, and the command finds both', async () => {
    const e = env ?? assert.fail('no env');
    await writeCommand(e, commandName('tc-wwn'), WWN_COMMAND);
    const run = await tryCommand([
      join(e.commandsDir, commandName('tc-wwn')),
      ...['--image-url', IMAGE_URL, '--disks', '2x1G', '--device-string', 'wwn'],
    ]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const devices = (run.result.devices ?? '').split(' ');
    assert.equal(devices.length, 2);
    for (const wwn of devices) assert.match(wwn, /^0x[0-9a-f]{16}$/);
    assert.deepEqual(
      run.result.disks?.map((disk) => [disk.name, disk.partitionTable]),
      [
        ['sda', 'gpt'],
        ['sdb', 'gpt'],
      ],
    );
  });

  it('never shows the registry token in any process command line while the command runs', async () => {
    const e = env ?? assert.fail('no env');
    await writeCommand(e, commandName('tc-token'), TOKEN_COMMAND);
    let looks = 0;
    const run = await tryCommand(
      [join(e.commandsDir, commandName('tc-token')), '--image-url', IMAGE_URL, '--disks', '1G'],
      {
        env: { IMAGEURL_OCI_REGISTRY_AUTH_TOKEN: TOKEN },
        whileRunning: async (_pid, ended) => {
          while (!ended()) {
            for (const line of await allCommandLines())
              assert.ok(!line.includes(TOKEN), `token in ps: ${line}`);
            looks++;
          }
        },
      },
    );
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.ok(run.stderr.includes('the command has the token'), 'the command got the token');
    assert.ok(
      !run.stdout.includes(TOKEN) && !run.stderr.includes(TOKEN),
      'the token is redacted from the output',
    );
    assert.ok(looks > 10, `looked at the process list ${String(looks)} times`);
  });
});

async function controllerVerdict(env: MachineEnv, name: string): Promise<Verdict> {
  await addMachine(env, name, commandName(name));
  const machine = await pollFor(
    `${name} past RunningImageCommand`,
    async () => {
      const m = await getMachine(env, name);
      const state = m.status?.bootState;
      return state === 'ProvisioningFailed' ||
        state === 'BootingToRealOS' ||
        state === 'OperatingSystemRunning'
        ? m
        : undefined;
    },
    { deadlineMs: 120_000 },
  );
  if (machine.status?.bootState !== 'ProvisioningFailed') return { outcome: 'passed' };
  const failed = await waitForFailure(env, name);
  const condition = conditionOf(failed, 'ServerProvisioned');
  return {
    outcome: 'failed',
    reasons: [condition?.reason, v1beta2ConditionOf(failed, 'ServerProvisioned')?.reason],
    ...(condition?.message === undefined ? {} : { message: condition.message }),
  };
}

async function tryCommandVerdict(env: MachineEnv, name: string): Promise<Verdict> {
  const run = await tryCommand([
    join(env.commandsDir, commandName(name)),
    ...['--image-url', IMAGE_URL, '--machine-name', name, '--disks', '1G', '--timeout', `${TIMEOUT_MS}ms`],
  ]);
  const { result } = run;
  assert.equal(run.code, result.outcome === 'passed' ? 0 : 1, `${name}: exit code; ${run.stderr}`);
  if (result.outcome !== 'failed') return { outcome: result.outcome };
  return {
    outcome: 'failed',
    reasons: [result.reason?.v1beta1, result.reason?.v1beta2],
    ...(result.message === undefined ? {} : { message: result.message }),
  };
}

/** A disk command: a GPT with an ESP (a boot loader file in it) and a NoCloud seed partition. */
const SEED_COMMAND = `#!/bin/bash
set -euo pipefail
read -r -a devices <<<"$4"
disk=/dev/\${devices[0]}
sfdisk --quiet "$disk" <<'TABLE'
label: gpt
size=8MiB, type=uefi, name=esp
size=8MiB, type=linux, name=cidata
TABLE
partprobe "$disk"
mkfs.vfat -n ESP "\${disk}1" >/dev/null
mmd -i "\${disk}1" ::/EFI ::/EFI/BOOT
printf 'loader' | mcopy -i "\${disk}1" - ::/EFI/BOOT/BOOTX64.EFI
mkfs.vfat -n CIDATA "\${disk}2" >/dev/null
mcopy -i "\${disk}2" "$2" ::user-data
printf 'instance-id: %s\\n' "$3" | mcopy -i "\${disk}2" - ::meta-data
echo IMAGE_URL_DONE
`;

/** Resolves every WWN it is given to a disk (as the reference command does) and labels it. */
const WWN_COMMAND = `#!/bin/bash
set -euo pipefail
for wwn in $4; do
  disk=$(lsblk -dnpo NAME,WWN | awk -v wwn="$wwn" '$2 == wwn { print $1 }')
  [ -b "$disk" ] || { echo "no disk with WWN $wwn"; exit 1; }
  echo 'label: gpt' | sfdisk --quiet "$disk"
  echo "labelled $disk ($wwn)"
done
echo IMAGE_URL_DONE
`;

/** Takes its time (so the process list is looked at often) and checks it got the token. */
const TOKEN_COMMAND = `#!/bin/bash
[ "$OCI_REGISTRY_AUTH_TOKEN" = '${TOKEN}' ] && echo "the command has the token" >&2
echo "token: $OCI_REGISTRY_AUTH_TOKEN"
sleep 3
echo IMAGE_URL_DONE
`;
