import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { RobotSimulator } from '../../sim/robot/robot-simulator.js';
import { ProvisionCli } from '../support/provision-cli.js';

const MiB = 1024 * 1024;
const SERVER = 321;
const WWN = '0x5000c50000032100';
const IMAGE_URL = 'https://images.example.com/node.img';

/**
 * Writes the test OS image onto the root device and the bootstrap data at the image's seed
 * offset (docs/sim-os-image.md), as a real disk command writes an image and a NoCloud seed.
 */
const commandScript = (image: string): string => `#!/bin/bash
set -euo pipefail
echo "installing $1 onto /dev/$4"
dd if='${image}' of="/dev/$4" bs=1M conv=fsync status=none
dd if="$2" of="/dev/$4" bs=1M seek=1 conv=notrunc,fsync status=none
echo IMAGE_URL_DONE
`;

describe('imageurl provision --robot-server: the CLI against the Robot simulator (real rescue and OS boots)', () => {
  let robot: RobotSimulator | undefined;
  let cli: ProvisionCli | undefined;
  let scratch = '';

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-provision-bm-'));
    robot = await RobotSimulator.start({
      stateDir: join(scratch, 'robot'),
      profile: 'fast',
      ipLock: false,
      servers: [
        { number: SERVER, name: 'dedicated-1', disks: [{ name: 'sda', sizeBytes: 64 * MiB, wwn: WWN }] },
      ],
    });
    await mkdir(join(scratch, 'state'));
    cli = new ProvisionCli(join(scratch, 'state'), { IMAGEURL_ROBOT_ENDPOINT: robot.endpoint });
  });

  after(async () => {
    await cli?.stopAll();
    await robot?.stop();
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  it('reaches the installed OS (SSH answers with the name as hostname), then delete deprovisions', async () => {
    const c = cli ?? assert.fail();
    const r = robot ?? assert.fail();
    const key = generateSshKeyPair('provision');
    const image = await buildTestImage({
      path: join(scratch, 'node.img'),
      payloadBytes: MiB,
      defaultHostname: 'unnamed',
      authorizedKeys: [key.publicKey],
    });
    const files = {
      key: join(scratch, 'id_ed25519'),
      credentials: join(scratch, 'robot-credentials'),
      command: join(scratch, 'image-url-command-disk'),
      bootstrap: join(scratch, 'bootstrap.yaml'),
    };
    await writeFile(files.key, key.privateKey, { mode: 0o600 });
    await writeFile(files.credentials, `${r.user}:${r.password}\n`, { mode: 0o600 });
    await writeFile(files.command, commandScript(image.path));
    await chmod(files.command, 0o755);
    await writeFile(files.bootstrap, '#cloud-config\nhostname: metal\n');
    const run = await c.run([
      ...['provision', '--name', 'metal', '--robot-server', String(SERVER), '--root-device-wwn', WWN],
      ...['--image-url', IMAGE_URL, '--command', files.command, '--bootstrap-data', files.bootstrap],
      ...['--ssh-key', files.key, '--robot-credentials-file', files.credentials],
    ]);
    assert.equal(run.exit, 'code 0', run.output);
    for (const state of ['preparing', 'registering', 'image-installing', 'ensure-provisioned', 'provisioned'])
      assert.match(run.output, new RegExp(`^  ${state}  \\(`, 'm'), `a line for ${state}\n${run.output}`);
    assert.match(run.output, new RegExp(`^metal: provisioned — server ${SERVER}, \\d+\\.`, 'm'));
    assert.doesNotMatch(run.output, new RegExp(r.password));

    const deleted = await c.run([
      'provision',
      'delete',
      'metal',
      '--robot-credentials-file',
      files.credentials,
    ]);
    assert.equal(deleted.exit, 'code 0', deleted.output);
    assert.match(deleted.output, /^metal: deleted; state file removed$/m);
    assert.equal(await c.state('metal'), undefined);
  });
});
