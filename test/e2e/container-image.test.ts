// The images `npm run images` builds, run for real: pushed to a real registry, pulled and run by
// podman (runc) as a restricted pod runs them. The commands image fills a folder standing for
// the /shared emptyDir; the controller image, with that folder, provisions an HCloudMachine
// against a real kube-apiserver and the Cloud simulator with a reference image-url-command.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startOciRegistry, type OciRegistry } from '../../sim/oci-registry/index.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { freePort } from '../../sim/process/free-port.js';
import { ProcessGroup } from '../../sim/process/process-group.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { parseImageReference } from '../../src/oci/image-reference.js';
import { pushDiskImage } from '../../src/oci/push-disk-image.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { describeCommands, initContainerCommand, ROOT, runImageScript } from '../support/image-build.js';
import { pinnedNode } from '../support/node-pin.js';
import { addMachine, startMachineEnv, type MachineEnv } from '../support/machine-env.js';
import { waitForBootState } from '../support/machine-observation.js';
import { startPodman, type Podman } from '../support/podman.js';

const execFileAsync = promisify(execFile);
const VERSION = 'v0.0.0-e2e';
const NONROOT = 65532;
const MiB = 1024 * 1024;

describe('the container images, built, pushed and run (podman + runc, kube-apiserver, Cloud simulator)', () => {
  const builds = new ProcessGroup();
  const cleanups: (() => Promise<unknown>)[] = [];
  let scratch = '';
  let registry: OciRegistry;
  let env: MachineEnv;
  let podman: Podman;
  let controller: SupervisedProcess | undefined;
  let images: { controller: string; commands: string };
  let osImageURL = '';
  let registryToken = '';

  before(
    async () => {
      scratch = await mkdtemp(join(tmpdir(), 'imageurl-container-image-'));
      cleanups.push(() => rm(scratch, { recursive: true, force: true }));
      registry = await startOciRegistry({ auth: 'htpasswd', parentDir: scratch });
      cleanups.push(() => registry.stop());
      const user = registry.users[0] ?? assert.fail('the registry has no user');
      registryToken = `${user.username}:${user.password}`;
      const authFile = join(scratch, 'auth.json');
      const auth = { auths: { [registry.host]: { auth: Buffer.from(registryToken).toString('base64') } } };
      await writeFile(authFile, JSON.stringify(auth), { mode: 0o600 });

      const destination = `docker://${registry.host}/imageurl`;
      const [built, started] = await Promise.allSettled([
        runImageScript(builds, 'build.sh', ['--insecure', VERSION, destination], {
          REGISTRY_AUTH_FILE: authFile,
        }),
        startMachineEnv(),
      ]);
      if (started.status === 'fulfilled') cleanups.push(() => started.value.stop());
      if (built.status === 'rejected') throw built.reason;
      if (started.status === 'rejected') throw started.reason;
      env = started.value;
      assert.equal(built.value.code, 'code 0', `the image build failed:\n${built.value.output}`);
      images = {
        controller: `${registry.host}/imageurl/imageurl-controller:${VERSION}`,
        commands: `${registry.host}/imageurl/imageurl-commands:${VERSION}`,
      };

      const disk = await buildTestImage({ path: join(scratch, 'node.img'), payloadBytes: 4 * MiB });
      const target = parseImageReference(`oci://${registry.host}/os/node:v1`);
      await pushDiskImage({
        file: disk.path,
        target,
        client: new RegistryClient(registry.url, target.repository, { kind: 'basic', ...user }),
      });
      osImageURL = `oci://${registry.host}/os/node:v1`;

      podman = await startPodman(scratch);
      cleanups.push(() => podman.stop());
      await podman.pull(images.controller, authFile);
      await podman.pull(images.commands, authFile);
    },
    { timeout: 900_000 },
  );

  after(async () => {
    await builds.stopAll();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('carries the Node.js 24 the tests run on (tools/node/install.sh) and no shell', async () => {
    const { version } = await pinnedNode();
    assert.match(version, /^24\./);
    const printed = await podman.run({
      image: images.controller,
      entrypoint: '/usr/local/bin/node',
      args: ['--version'],
    });
    assert.equal(printed.trim(), `v${version}`);
    await assert.rejects(
      podman.run({ image: images.controller, entrypoint: '/bin/sh', args: ['-c', 'true'] }),
      /no such file or directory|not found/i,
    );
  });

  it('says which commit it was built from (imageurl version)', async () => {
    const printed = await podman.run({ image: images.controller, args: ['version', '--output', 'json'] });
    const facts = JSON.parse(printed) as { commit: unknown };
    assert.equal(typeof facts.commit, 'string', `no commit in ${printed}`);
    const commit = facts.commit as string;
    // The newest commit that changed what the image holds: HEAD or one of its ancestors.
    await execFileAsync('git', ['-C', ROOT, 'merge-base', '--is-ancestor', commit, 'HEAD']);
  });

  it('the commands image, run as the Deployment’s initContainer, fills /shared (an emptyDir) with the reference commands', async () => {
    const shared = join(scratch, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o777); // an emptyDir's mode
    const [command = '', ...args] = await initContainerCommand();
    const output = await podman.run({
      image: images.commands,
      volumes: [`${shared}:/shared`],
      entrypoint: command,
      args,
    });
    assert.equal(output, '', 'cp copies without complaint');
    assert.deepEqual(await describeCommands(shared), await describeCommands(join(ROOT, 'commands')));
  });

  it('the controller runs as 65532 without capabilities on a read-only root and provisions an HCloudMachine', async () => {
    const kubeconfig = join(scratch, 'kubeconfig');
    await copyFile(env.controlPlane.kubeconfigPath, kubeconfig);
    await chown(kubeconfig, NONROOT, NONROOT);
    await chmod(kubeconfig, 0o400);
    const probePort = await freePort();
    controller = podman.start('imageurl-controller', {
      image: images.controller,
      volumes: [`${join(scratch, 'shared')}:/shared:ro`, `${kubeconfig}:/var/run/imageurl/kubeconfig:ro`],
      env: { OCI_REGISTRY_AUTH_TOKEN: registryToken, IMAGEURL_LOG_LEVEL: 'info' },
      args: [
        ...[
          'controller',
          '--kubeconfig',
          '/var/run/imageurl/kubeconfig',
          '--hcloud-endpoint',
          env.cloud.sim.endpoint,
        ],
        ...['--leader-elect', '--leader-election-namespace', 'default', '--metrics-bind-address', '0'],
        ...['--health-probe-bind-address', `127.0.0.1:${probePort}`],
      ],
    });
    await controller.waitForOutput((text) => text.includes('Starting controller'), 120_000);
    await assertRestricted(await podman.pid('imageurl-controller'));
    await waitFor(
      async () => ((await fetch(`http://127.0.0.1:${probePort}/readyz`)).status === 200 ? true : undefined),
      { deadlineMs: 60_000, description: 'the controller container to be ready (/readyz)' },
    );

    await addMachine(env, 'worker-1', 'image-url-command-oci-disk', osImageURL);
    const machine = await waitForBootState(env, 'worker-1', 'OperatingSystemRunning', 300_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\ncontroller output:\n${controller?.output.text() ?? ''}`);
      },
    );
    assert.equal(machine.status?.ready, true);
    assert.match(machine.spec.providerID ?? '', /^hcloud:\/\/\d+$/);
    assert.ok(!controller.output.text().includes(registryToken), 'the registry token is not logged');
  });
});

/** What the kernel says about the container's process, not what we asked podman for. */
async function assertRestricted(pid: number): Promise<void> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
  assert.deepEqual(field('Uid').split(/\s+/), Array(4).fill(String(NONROOT)), 'every uid is 65532');
  assert.deepEqual(field('Gid').split(/\s+/), Array(4).fill(String(NONROOT)), 'every gid is 65532');
  for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb'])
    assert.equal(field(set), '0000000000000000', `${set} is empty`);
  assert.equal(field('NoNewPrivs'), '1');
  const mounts = await readFile(`/proc/${pid}/mountinfo`, 'utf8');
  const root = mounts.split('\n').find((line) => line.split(' ')[4] === '/');
  assert.match(
    root?.split(' ')[5] ?? '',
    /^ro(,|$)/,
    `the root filesystem is read-only: ${root ?? '(none)'}`,
  );
}
