import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ProcessGroup } from '../../sim/process/process-group.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';
import { runCommand } from '../support/run-command.js';
import { SimCloudClient } from '../support/sim-cloud-client.js';

const bin = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));
/** Nothing boots: these tests are about the state folder, not servers. */
const simArgs = (stateDir: string): string[] => [
  bin,
  'sim',
  '--fast',
  '--no-boot',
  '--robot-servers',
  '1',
  '-o',
  'json',
  '--state-dir',
  stateDir,
];

interface SimFacts {
  cloud: { endpoint: string; token: string; adminToken: string };
  robot: { endpoint: string; user: string; password: string; adminToken: string };
}

describe('imageurl sim --state-dir', () => {
  const processes = new ProcessGroup();
  let scratch = '';

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-sim-state-'));
  });
  after(async () => {
    await processes.stopAll();
    await rm(scratch, { recursive: true, force: true });
  });

  async function startSim(stateDir: string): Promise<{ sim: SupervisedProcess; facts: SimFacts }> {
    const sim = processes.start({ name: 'imageurl sim', command: process.execPath, args: simArgs(stateDir) });
    await sim.waitForOutput((text) => text.includes('"robotServers"'), 60_000);
    const line = sim.output
      .text()
      .split('\n')
      .find((text) => text.startsWith('{'));
    return { sim, facts: JSON.parse(line ?? '') as SimFacts };
  }

  async function stopSim(sim: SupervisedProcess): Promise<void> {
    await processes.stopMember(sim, { graceMs: 20_000 });
    assert.equal(await sim.waitForExit(), 'code 0', sim.output.text());
  }

  it('refuses a second instance over the same folder, naming the lock (exit 1)', async () => {
    const stateDir = join(scratch, 'locked');
    const { sim } = await startSim(stateDir);
    const second = await runCommand(process.execPath, simArgs(stateDir), { timeoutMs: 60_000 });
    assert.equal(second.code, 1, second.stderr);
    assert.match(
      second.stderr,
      new RegExp(`is in use by another imageurl sim \\(pid \\d+, lock file ${join(stateDir, 'sim.lock')}\\)`),
    );
    await stopSim(sim);
  });

  it('keeps endpoints, token and credentials across runs', async () => {
    const stateDir = join(scratch, 'kept');
    const first = await startSim(stateDir);
    await stopSim(first.sim);
    const kept = await stat(join(stateDir, 'sim.json'));
    assert.equal(kept.mode & 0o777, 0o600, 'only its owner may read the credentials');
    assert.equal((await stat(stateDir)).mode & 0o777, 0o700);
    const second = await startSim(stateDir);
    assert.deepEqual(second.facts.cloud, first.facts.cloud);
    assert.deepEqual(second.facts.robot, first.facts.robot);
    const cloud = new SimCloudClient(second.facts.cloud.endpoint, first.facts.cloud.token);
    assert.equal((await cloud.call('GET', '/servers')).status, 200, 'the first run token still works');
    await stopSim(second.sim);
  });

  it('takes over a lock left by a process that no longer runs, with a note', async () => {
    const stateDir = join(scratch, 'stale');
    await mkdir(stateDir, { recursive: true });
    const gone = await runCommand(process.execPath, ['-e', 'console.log(process.pid)']);
    await writeFile(join(stateDir, 'sim.lock'), gone.stdout);
    const { sim } = await startSim(stateDir);
    assert.match(
      sim.output.text(),
      new RegExp(
        `taking over ${join(stateDir, 'sim.lock')}, left by pid ${gone.stdout.trim()}, which no longer runs`,
      ),
    );
    await stopSim(sim);
  });

  it('names a corrupt state file and exits 1 instead of hanging', async () => {
    const stateDir = join(scratch, 'corrupt');
    await mkdir(join(stateDir, 'robot'), { recursive: true });
    await writeFile(join(stateDir, 'robot', 'state.json'), '{"version": 1, "keys": [');
    const run = await runCommand(process.execPath, simArgs(stateDir), { timeoutMs: 60_000 });
    assert.equal(run.code, 1, `exit ${run.code}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(`${join(stateDir, 'robot', 'state.json')}: not valid JSON`));
  });
});
