import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSimulator } from '../sim/cloud/cloud-simulator.js';
import { generateSshKeyPair } from '../sim/host/ssh-keys.js';
import { waitFor } from '../sim/process/wait-for.js';
import { SimCloudClient } from '../test/support/sim-cloud-client.js';
import { connectOnce } from '../test/support/sim-ssh.js';

/**
 * Simulator figures (issue 4): one Cloud simulator process with N servers (default 100): its
 * memory with idle servers and with every server booted into rescue, the time to boot all of
 * them into rescue (poweron → every sshd listening → every `hostname` over SSH says rescue).
 * Usage: node --import tsx bench/simulator.ts [--servers N]
 */
async function main(): Promise<void> {
  const flag = process.argv.indexOf('--servers');
  const count = flag > 0 ? Number(process.argv[flag + 1]) : 100;
  if (!Number.isInteger(count) || count < 1 || count > 200)
    throw new Error('--servers must be an integer from 1 to 200');
  const scratch = await mkdtemp(join(tmpdir(), 'imageurl-bench-sim-'));
  const sim = await CloudSimulator.start({ stateDir: scratch, profile: 'fast', diskBytes: 64 * 1024 * 1024 });
  try {
    const figures = await measure(sim, count);
    console.log(`simulator bench, ${count} servers, ${cpus().length} cores`);
    for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(58)} ${value}`);
    const results = new URL('./results/', import.meta.url);
    await mkdir(results, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await writeFile(
      new URL(`simulator-${stamp}.json`, results),
      `${JSON.stringify({ date: new Date().toISOString(), servers: count, cores: cpus().length, figures }, null, 2)}\n`,
    );
    console.log(`written to bench/results/simulator-${stamp}.json`);
  } finally {
    await sim.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function measure(sim: CloudSimulator, count: number): Promise<Record<string, number>> {
  const api = new SimCloudClient(sim.endpoint, sim.token);
  const key = generateSshKeyPair('bench');
  const keyId = (
    (await api.call('POST', '/ssh_keys', { name: 'bench', public_key: key.publicKey })).body.ssh_key as {
      id: number;
    }
  ).id;
  const baseline = process.memoryUsage();
  const createStart = performance.now();
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const created = await api.call('POST', '/servers', {
      name: `bench-${i}`,
      server_type: 'cpx22',
      image: 'debian-13',
      start_after_create: false,
      ssh_keys: [keyId],
    });
    ids.push((created.body.server as { id: number }).id);
  }
  const createMs = performance.now() - createStart;
  await waitFor(() => Promise.resolve(sim.servers().every((s) => s.status === 'off') ? true : undefined), {
    deadlineMs: 60_000,
    description: 'every create',
  });
  const idle = process.memoryUsage();
  for (const id of ids) await api.call('POST', `/servers/${id}/actions/enable_rescue`, { ssh_keys: [keyId] });
  await waitFor(() => Promise.resolve(sim.servers().every((s) => s.rescueEnabled) ? true : undefined), {
    deadlineMs: 60_000,
    description: 'rescue enabled',
  });
  const bootStart = performance.now();
  for (const id of ids) await api.call('POST', `/servers/${id}/actions/poweron`);
  await waitFor(() => Promise.resolve(sim.servers().every((s) => s.system === 'rescue') ? true : undefined), {
    deadlineMs: 120_000,
    description: `${count} rescue systems`,
  }).catch((error: unknown) => {
    const systems = sim
      .servers()
      .filter((s) => s.system !== 'rescue')
      .map((s) => `${s.id}:${s.status}/${JSON.stringify(s.lastBoot)}`);
    throw new Error(
      `${String(error)}; servers: ${systems.join(' ')}; errors: ${sim.errors.map(String).join('; ')}`,
    );
  });
  const listeningMs = performance.now() - bootStart;
  await sshAll(
    sim.servers().map((s) => s.address),
    key.privateKey,
  );
  const readyMs = performance.now() - bootStart;
  const booted = process.memoryUsage();
  const hostsRss = await descendantsRssBytes(process.pid);
  if (sim.errors.length > 0) throw new Error(`simulator errors: ${sim.errors.map(String).join('; ')}`);
  const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return {
    'create N servers over HTTP (ms)': Math.round(createMs),
    'node RSS before servers (MiB)': mib(baseline.rss),
    'node RSS with N idle servers (MiB)': mib(idle.rss),
    'node heap used with N idle servers (MiB)': mib(idle.heapUsed),
    'node RSS with N booted servers (MiB)': mib(booted.rss),
    'booted hosts RSS, all processes (MiB)': mib(hostsRss),
    'poweron → N rescue sshd listening (ms)': Math.round(listeningMs),
    'poweron → N rescue hosts answer hostname=rescue (ms)': Math.round(readyMs),
    'API requests served': sim.requests.counters().total,
  };
}

/** Logs in to every host, 8 at a time, and checks the hostname. */
async function sshAll(addresses: readonly string[], privateKey: string): Promise<void> {
  const queue = [...addresses];
  const worker = async (): Promise<void> => {
    for (let address = queue.shift(); address !== undefined; address = queue.shift()) {
      const session = await connectOnce(address, privateKey);
      const hostname = (await session.exec('hostname')).stdout.toString().trim();
      session.end();
      if (hostname !== 'rescue') throw new Error(`${address} answered hostname ${hostname}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Resident memory of every process below `pid` (the hosts' unshare, sshd). */
async function descendantsRssBytes(pid: number): Promise<number> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => ''))
    .split(/\s+/)
    .filter(Boolean);
  let total = 0;
  for (const child of children.map(Number)) {
    const status = await readFile(`/proc/${child}/status`, 'utf8').catch(() => '');
    total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    total += await descendantsRssBytes(child);
  }
  return total;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
