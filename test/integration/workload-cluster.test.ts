import assert from 'node:assert/strict';
import { copyFile, mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudSimulator } from '../../sim/cloud/cloud-simulator.js';
import { caCertHash, issue, loadAuthority } from '../../sim/kubeadm/cluster-pki.js';
import { KubeRest } from '../../sim/kubeadm/kube-rest.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { waitFor } from '../../sim/process/wait-for.js';
import {
  bootstrapTokenSecret,
  initBootstrapData,
  joinBootstrapData,
  newBootstrapToken,
  newClusterKeys,
  type ClusterKeys,
} from '../support/kubeadm-bootstrap-data.js';
import { SimCloudClient } from '../support/sim-cloud-client.js';

const MiB = 1024 * 1024;
const SLOW = 180_000;

type Json = Record<string, unknown>;
interface NodeObject {
  metadata: { name: string; labels: Record<string, string> };
  spec: { providerID?: string; taints?: { key: string }[] };
  status: { conditions?: { type: string; status: string }[] };
}

/** Processes whose command line names `marker` (a server's state folder: its control plane's files). */
async function processesNaming(marker: string): Promise<{ pid: string; command: string }[]> {
  const found: { pid: string; command: string }[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker))
      found.push({ pid, command: cmdline.split('\0')[0]?.split('/').pop() ?? '' });
  }
  return found;
}

describe('workload cluster: servers booting kubeadm bootstrap data become Kubernetes nodes', () => {
  let scratch = '';
  let sim: CloudSimulator;
  let api: SimCloudClient;
  let keys: ClusterKeys;
  let image = '';
  let lbAddress = '';
  let admin: KubeRest;
  const log: string[] = [];

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-workload-'));
    sim = await CloudSimulator.start({
      stateDir: join(scratch, 'cloud'),
      profile: 'fast',
      diskBytes: 16 * MiB,
      workloadClusters: {
        leaseRenewMs: 1_000,
        leaseDurationSeconds: 5,
        nodeMonitorGracePeriodSeconds: 8,
        cloudControllerIntervalMs: 500,
        onLog: (line) => log.push(line),
      },
    });
    api = new SimCloudClient(sim.endpoint, sim.token);
    image = (await buildTestImage({ path: join(scratch, 'os.img') })).path;
    keys = await newClusterKeys();
    const created = await api.call('POST', '/load_balancers', {
      name: 'workload-kube-api',
      load_balancer_type: 'lb11',
      location: 'fsn1',
      services: [{ protocol: 'tcp', listen_port: 6443, destination_port: 6443 }],
      targets: [{ type: 'label_selector', label_selector: { selector: 'role=control-plane' } }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    lbAddress = (created.body.load_balancer as { public_net: { ipv4: { ip: string } } }).public_net.ipv4.ip;
    const authority = await loadAuthority(keys.ca.certPem, keys.ca.keyPem);
    const credentials = await issue(authority, {
      subject: 'CN=test-admin, O=system:masters',
      usage: 'client',
    });
    // Trusting only the fixture's CA: the apiserver must serve a certificate it signed.
    admin = new KubeRest({
      server: `https://${lbAddress}:6443`,
      trust: { caPem: keys.ca.certPem },
      credentials,
    });
  });

  after(async () => {
    await sim.stop();
    await rm(scratch, { recursive: true, force: true });
    if (process.exitCode) process.stderr.write(`${log.join('\n')}\n`);
  });

  /** A server whose disk holds the simulated OS with `bootstrapData`, powered on. */
  async function bootServer(
    name: string,
    labels: Json,
    bootstrapData: string,
  ): Promise<{ id: number; ip: string }> {
    const created = await api.call('POST', '/servers', {
      name,
      server_type: 'cpx22',
      image: 'debian-13',
      labels,
      start_after_create: false,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const server = created.body.server as { id: number; public_net: { ipv4: { ip: string } } };
    await api.waitForAction(created.body.action);
    const disk = await sim.diskPath(server.id);
    await copyFile(image, disk);
    const file = await open(disk, 'r+');
    await file.write(Buffer.from(bootstrapData), 0, undefined, MiB);
    await file.close();
    const poweron = await api.call('POST', `/servers/${server.id}/actions/poweron`);
    await api.waitForAction(poweron.body.action);
    return { id: server.id, ip: server.public_net.ipv4.ip };
  }

  async function node(name: string): Promise<NodeObject | undefined> {
    const reply = await admin.get(`/api/v1/nodes/${name}`).catch(() => undefined);
    return reply?.status === 200 ? (reply.body as unknown as NodeObject) : undefined;
  }

  const ready = (n: NodeObject | undefined): string | undefined =>
    n?.status.conditions?.find((c) => c.type === 'Ready')?.status;

  let controlPlane: { id: number; ip: string };
  let worker: { id: number; ip: string };

  it('init: the control plane answers at the load balancer with the bootstrap CA, and its Node is Ready', async () => {
    controlPlane = await bootServer(
      'workload-cp-0',
      { role: 'control-plane' },
      initBootstrapData({ keys, controlPlaneEndpoint: `${lbAddress}:6443` }),
    );
    await waitFor(
      async () => ((await admin.get('/readyz').catch(() => undefined))?.status === 200 ? true : undefined),
      {
        deadlineMs: SLOW,
        description: `kube-apiserver at ${lbAddress}:6443`,
      },
    );
    // kubeadm creates its objects once the apiserver answers.
    const kubeadmConfig = await waitFor(
      async () => {
        const reply = await admin.get('/api/v1/namespaces/kube-system/configmaps/kubeadm-config');
        return reply.status === 200 ? reply : undefined;
      },
      { deadlineMs: 30_000, description: 'the kubeadm-config ConfigMap' },
    );
    assert.match(
      String((kubeadmConfig.body.data as Json).ClusterConfiguration),
      new RegExp(`controlPlaneEndpoint: ${lbAddress}:6443`),
    );
    const clusterInfo = await admin.expect(
      admin.get('/api/v1/namespaces/kube-public/configmaps/cluster-info'),
      'cluster-info',
    );
    assert.match(
      String((clusterInfo.body.data as Json).kubeconfig),
      new RegExp(`server: https://${lbAddress}:6443`),
    );
    const registered = await waitFor(
      async () => {
        const n = await node('workload-cp-0');
        return ready(n) === 'True' && n?.spec.providerID ? n : undefined;
      },
      { deadlineMs: SLOW, description: 'Node workload-cp-0 Ready with a providerID' },
    );
    assert.equal(registered.spec.providerID, `hcloud://${controlPlane.id}`);
    assert.equal(registered.metadata.labels['node-role.kubernetes.io/control-plane'], '');
    assert.deepEqual(
      (registered.spec.taints ?? []).map((t) => t.key),
      ['node-role.kubernetes.io/control-plane'],
    );
  });

  it('join: a worker discovers the cluster with a bootstrap token and registers through a CSR signed by kube-controller-manager', async () => {
    const token = newBootstrapToken();
    await admin.expect(
      admin.post('/api/v1/namespaces/kube-system/secrets', bootstrapTokenSecret(token)),
      'bootstrap token',
    );
    worker = await bootServer(
      'workload-md-0',
      { role: 'worker' },
      joinBootstrapData({
        token: token.token,
        apiServerEndpoint: `${lbAddress}:6443`,
        caCertHash: caCertHash(keys.ca.certPem),
      }),
    );
    const joined = await waitFor(
      async () => {
        const n = await node('workload-md-0');
        return ready(n) === 'True' && n?.spec.providerID ? n : undefined;
      },
      { deadlineMs: SLOW, description: 'Node workload-md-0 Ready with a providerID' },
    );
    assert.equal(joined.spec.providerID, `hcloud://${worker.id}`);
    assert.deepEqual(joined.spec.taints ?? [], []);
    const csrs = await admin.expect(
      admin.get('/apis/certificates.k8s.io/v1/certificatesigningrequests'),
      'CSRs',
    );
    const csr = (
      csrs.body.items as { spec: Json; status: { certificate?: string; conditions?: { type: string }[] } }[]
    ).find((item) => item.spec.username === `system:bootstrap:${token.id}`);
    assert.ok(csr, 'a CSR made with the bootstrap token');
    assert.equal(csr.spec.signerName, 'kubernetes.io/kube-apiserver-client-kubelet');
    assert.deepEqual(
      csr.status.conditions?.map((c) => c.type),
      ['Approved'],
    );
    assert.ok(csr.status.certificate, 'signed by kube-controller-manager');
  });

  it('power off: the worker’s lease stops being renewed and its Node turns NotReady', async () => {
    const lease = async (): Promise<string> =>
      String(
        (
          (await admin.get('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/workload-md-0'))
            .body.spec as Json
        ).renewTime,
      );
    const off = await api.call('POST', `/servers/${worker.id}/actions/poweroff`);
    await api.waitForAction(off.body.action);
    const last = await lease();
    const notReady = await waitFor(
      async () => {
        const status = ready(await node('workload-md-0'));
        return status !== 'True' ? status : undefined;
      },
      { deadlineMs: 60_000, description: 'Node workload-md-0 to leave Ready' },
    );
    assert.equal(notReady, 'Unknown');
    assert.equal(await lease(), last, 'no renewal after the power went');
  });

  it('power on again: the worker comes back Ready with the certificate it kept, without its token', async () => {
    const secrets = await admin.expect(admin.get('/api/v1/namespaces/kube-system/secrets'), 'secrets');
    for (const item of secrets.body.items as { metadata: { name: string } }[])
      if (item.metadata.name.startsWith('bootstrap-token-'))
        await admin.expect(
          admin.send('DELETE', `/api/v1/namespaces/kube-system/secrets/${item.metadata.name}`),
          'delete token',
        );
    const on = await api.call('POST', `/servers/${worker.id}/actions/poweron`);
    await api.waitForAction(on.body.action);
    await waitFor(async () => (ready(await node('workload-md-0')) === 'True' ? true : undefined), {
      deadlineMs: SLOW,
      description: 'Node workload-md-0 Ready again',
    });
  });

  it('reset: the control plane comes back with the cluster it had (etcd on the node’s disk)', async () => {
    const marker = `server-${controlPlane.id}/os-services/`;
    const before = (await processesNaming(marker)).find((p) => p.command === 'kube-apiserver')?.pid;
    assert.ok(before, 'the control plane runs before the reset');
    const reset = await api.call('POST', `/servers/${controlPlane.id}/actions/reset`);
    await api.waitForAction(reset.body.action);
    await waitFor(
      async () => {
        const running = await processesNaming(marker);
        const pid = running.find((p) => p.command === 'kube-apiserver')?.pid;
        if (pid === undefined || pid === before || running.length < 3) return undefined;
        return (await admin.get('/readyz').catch(() => undefined))?.status === 200 ? true : undefined;
      },
      {
        deadlineMs: SLOW,
        description: 'a new etcd, kube-apiserver and kube-controller-manager after the reset',
      },
    );
    assert.ok(await node('workload-md-0'), 'the worker’s Node is still there');
    await waitFor(async () => (ready(await node('workload-cp-0')) === 'True' ? true : undefined), {
      deadlineMs: SLOW,
      description: 'Node workload-cp-0 Ready after the reset',
    });
  });

  it('power off: the control plane’s processes end with the server', async () => {
    const marker = `server-${controlPlane.id}/os-services/`;
    const running = (await processesNaming(marker)).map((p) => p.command).sort();
    assert.deepEqual(running, ['etcd', 'kube-apiserver', 'kube-controller-manager'], running.join(','));
    const off = await api.call('POST', `/servers/${controlPlane.id}/actions/poweroff`);
    await api.waitForAction(off.body.action);
    await waitFor(async () => ((await processesNaming(marker)).length === 0 ? true : undefined), {
      deadlineMs: 10_000,
      description: 'no process of the control plane left',
    });
    assert.equal((await admin.get('/readyz').catch(() => undefined))?.status, undefined);
  });
});
