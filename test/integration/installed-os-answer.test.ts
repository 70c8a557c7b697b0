// After leaving rescue, OperatingSystemRunning is reached only once the installed OS's own SSH
// server answers (a host key that is not the rescue boot's); a disk that does not boot fails the
// machine with InstalledOSSilent. The Cloud simulator drops connection attempts while nothing runs
// (its silent-drop mode), as a VM without a booted OS does, and boots real sshd systems.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerTimeline } from '../../sim/cloud/timeline-view.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { eventKind, type KubeObject } from '../../src/kube/index.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import { createProvisioningObjects, hcloudMachinesKind } from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const BOOTABLE = 'image-url-command-bootable';
const BLANK = 'image-url-command-blank';
/** Long enough that a controller going by the hcloud status alone would be seconds early. */
const OS_BOOT_MS = 4_000;
const BUDGET_MS = 30_000;
/** A rescue boot in the silent-drop mode took over 2 minutes on a loaded 2-core machine. */
const DEADLINE_MS = 300_000;

interface Machine extends KubeObject {
  spec: { providerID?: string };
  status?: {
    bootState?: string;
    bootStateSince?: string;
    conditions?: { type: string; reason?: string; message?: string }[];
  };
}

interface EventObject extends KubeObject {
  reason?: string;
  note?: string;
}

describe('BootingToRealOS waits for the installed OS to answer SSH (kube-apiserver + Cloud simulator)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let scratch = '';
  let controller: InProcessController | undefined;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-installed-os-'));
    if (/^\/(root|tmp|dev|run)(\/|$)/.test(scratch))
      throw new Error(
        `${scratch} is private inside the rescue systems: set TMPDIR elsewhere (e.g. /var/tmp)`,
      );
    const image = await buildTestImage({ path: join(scratch, 'os.img'), payloadBytes: 64 * 1024 });
    // The test's own scratch paths; no user data reaches the scripts.
    await command(BOOTABLE, `dd if='${image.path}' of="/dev/$4" bs=1M conv=fsync status=none\n`);
    await command(BLANK, 'echo "writing nothing onto /dev/$4"\n');
    [controlPlane, cloud] = await Promise.all([
      startControlPlane({ crdPaths: [CRD_DIR] }),
      startSimCloud({ whileBooting: 'drop', durations: { osBootMs: OS_BOOT_MS } }),
    ]);
    api = testClient(controlPlane.kubeConfig());
    const settings = {
      commandsDir: scratch,
      hcloudEndpoint: cloud.sim.endpoint,
      provisioning: { installedOSAnswerBudgetMs: BUDGET_MS },
    };
    controller = startTestController(controlPlane.kubeconfigPath, settings);
  });

  after(async () => {
    await stopTestController(controller, async () => {
      api.transport.close();
      await cloud?.stop();
      await controlPlane?.stop();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });
  });

  async function command(name: string, body: string): Promise<void> {
    await writeFile(join(scratch, name), `#!/bin/bash\nset -e\n${body}echo IMAGE_URL_DONE\n`);
    await chmod(join(scratch, name), 0o755);
  }

  /** One machine in its own namespace; every bootState it was seen in is kept. */
  async function provision(
    ns: string,
    imageURLCommand: string,
  ): Promise<{ get: () => Promise<Machine>; seen: Set<string> }> {
    const cp = controlPlane ?? assert.fail();
    const sim = cloud ?? assert.fail();
    await createNamespace(cp.kubeConfig(), ns);
    const key = generateSshKeyPair('rescue');
    // Server names are unique per project: each machine its own.
    const name = `worker-${ns}`;
    await sim.api.call('POST', '/ssh_keys', { name: `rescue-${ns}`, public_key: key.publicKey });
    await createProvisioningObjects(api.client, {
      namespace: ns,
      hcloudToken: sim.sim.token,
      rescueKey: { name: `rescue-${ns}`, publicKey: key.publicKey, privateKey: key.privateKey },
      machineName: name,
      imageURL: 'oci://registry.example.com/images/node:v1',
      imageURLCommand,
      bootstrapData: `#cloud-config\nhostname: ${name}\n`,
    });
    const seen = new Set<string>();
    const get = async (): Promise<Machine> => {
      const machine = await api.client.get<Machine>(hcloudMachinesKind, ns, name);
      if (machine.status?.bootState) seen.add(machine.status.bootState);
      return machine;
    };
    return { get, seen };
  }

  async function timelineOf(machine: Machine): Promise<ServerTimeline> {
    const sim = cloud ?? assert.fail();
    const id = Number(machine.spec.providerID?.replace('hcloud://', ''));
    const response = await fetch(`${sim.sim.adminUrl}/timeline`, {
      headers: { Authorization: `Bearer ${sim.sim.adminToken}` },
    });
    const all = (await response.json()) as ServerTimeline[];
    return all.find((entry) => entry.serverId === id) ?? assert.fail(`no timeline for server ${id}`);
  }

  it('reaches OperatingSystemRunning only after the installed OS’s sshd answers', async () => {
    const { get } = await provision('bootable', BOOTABLE);
    await eventually(
      'bootState OperatingSystemRunning',
      async () => (await get()).status?.bootState === 'OperatingSystemRunning',
      DEADLINE_MS,
    );
    const machine = await get();
    const osUp = (await timelineOf(machine)).boots.find(
      (boot) => boot.type === 'booted' && boot.system === 'os',
    );
    assert.ok(osUp, 'the simulator booted the installed OS');
    const reached = Date.parse(machine.status?.bootStateSince ?? '');
    // bootStateSince may be stored to the second: allow that much, far less than the OS boot.
    assert.ok(
      reached >= Date.parse(osUp.at) - 1_000,
      `OperatingSystemRunning at ${machine.status?.bootStateSince}, the installed OS answered at ${osUp.at}`,
    );
  });

  it('fails a machine whose written disk does not boot with InstalledOSSilent, never OperatingSystemRunning', async () => {
    const { get, seen } = await provision('blank', BLANK);
    let last: Machine | undefined;
    await eventually(
      'bootState ProvisioningFailed',
      async () => (last = await get()).status?.bootState === 'ProvisioningFailed',
      DEADLINE_MS,
    ).catch(async (error: unknown) => {
      // What it did instead, and what the simulator saw, for whoever reads the failure.
      const boots = last?.spec.providerID ? (await timelineOf(last)).boots : [];
      throw new Error(
        `${String(error)}; states seen: ${[...seen].join(', ')}; status: ${JSON.stringify(last?.status)}; boots: ${JSON.stringify(boots)}`,
      );
    });
    assert.ok(!seen.has('OperatingSystemRunning'), `states seen: ${[...seen].join(', ')}`);
    const machine = await get();
    const provisioned = machine.status?.conditions?.find((c) => c.type === 'ServerProvisioned');
    assert.equal(provisioned?.reason, 'InstalledOSSilent');
    assert.match(provisioned.message ?? '', /did not boot/);
    const boots = (await timelineOf(machine)).boots;
    assert.ok(
      boots.some((boot) => boot.type === 'not-booted' && boot.system === 'os'),
      `the simulator found nothing to boot: ${JSON.stringify(boots)}`,
    );
    await eventually('a Warning event that names the reason', async () => {
      const events = await api.client.list<EventObject>(eventKind, { namespace: 'blank' });
      return events.items.some(
        (event) => event.reason === 'HCloudMachineWillBeRemediated' && /did not boot/.test(event.note ?? ''),
      );
    });
  });
});
