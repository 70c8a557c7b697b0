import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';
import { ProvisionCli } from '../support/provision-cli.js';

/** Every state of the happy path before OperatingSystemRunning, in order. */
const STATES = [
  'Initializing',
  'EnablingRescue',
  'BootingToRescue',
  'RunningImageCommand',
  'BootingToRealOS',
] as const;
type State = (typeof STATES)[number];

/** Slow enough that each state lasts seconds and is seen by polling every 50 ms. */
const DURATIONS = {
  createServerMs: 3_000,
  rescueToggleMs: 3_000,
  startServerMs: 500,
  rescueBootMs: 2_500,
  resetServerMs: 500,
  deleteServerMs: 500,
};
const IMAGE_URL = 'oci://registry.example.com/images/node:v1';
const BOOTSTRAP_SECRET = 'bootstrap-5ecr3t-join-token';
const TOKEN_LIKE = /[A-Za-z0-9]{40,}/;

/** Appends the machine name to `runs` when it starts: one line per run. */
const commandScript = (runs: string): string => `#!/bin/bash
echo "$3" >> ${runs}
echo "installing $1 onto /dev/$4"
sleep 4
echo IMAGE_URL_DONE
`;

const slug = (state: State): string => state.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

/** The rescue systems mount their own /root, /tmp, /dev and /run over the machine's. */
const privateInRescue = /^\/(root|tmp|dev|run)(\/|$)/;

interface ServerView {
  readonly id: number;
  readonly name: string;
  readonly labels: Record<string, string>;
}

describe('imageurl provision: the CLI as a child process against the Cloud simulator (real sshd rescue systems)', () => {
  let cloud: SimCloudEnv | undefined;
  let cli: ProvisionCli | undefined;
  let scratch = '';
  let runs = '';
  let files: Record<'token' | 'key' | 'command' | 'bootstrap', string>;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-provision-'));
    if (privateInRescue.test(scratch)) throw new Error(`${scratch} is private inside the rescue systems`);
    cloud = await startSimCloud({ durations: DURATIONS });
    runs = join(scratch, 'command-runs');
    files = {
      token: join(scratch, 'hcloud-token'),
      key: join(scratch, 'id_ed25519'),
      command: join(scratch, 'image-url-command-counted'),
      bootstrap: join(scratch, 'bootstrap.yaml'),
    };
    await writeFile(files.token, `${cloud.sim.token}\n`, { mode: 0o600 });
    await writeFile(files.key, generateSshKeyPair('provision').privateKey, { mode: 0o600 });
    await writeFile(files.command, commandScript(runs));
    await chmod(files.command, 0o755);
    await writeFile(files.bootstrap, `#cloud-config\nruncmd: [echo ${BOOTSTRAP_SECRET}]\n`);
    await mkdir(join(scratch, 'state'));
    cli = new ProvisionCli(join(scratch, 'state'), { HCLOUD_ENDPOINT: cloud.sim.endpoint });
  });

  after(async () => {
    await cli?.stopAll();
    await cloud?.stop();
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  const provisionArgs = (name: string): string[] => [
    ...['provision', '--name', name, '--type', 'cpx22', '--location', 'fsn1'],
    ...['--image-url', IMAGE_URL, '--command', files.command, '--bootstrap-data', files.bootstrap],
    ...['--ssh-key', files.key, '--hcloud-token-file', files.token],
  ];

  async function serversNamed(name: string): Promise<ServerView[]> {
    const reply = await (cloud ?? assert.fail()).api.call('GET', `/servers?name=${name}`);
    assert.equal(reply.status, 200);
    return reply.body.servers as ServerView[];
  }

  async function sshKeyNames(): Promise<string[]> {
    const reply = await (cloud ?? assert.fail()).api.call('GET', '/ssh_keys');
    return (reply.body.ssh_keys as { name: string }[]).map((key) => key.name);
  }

  async function commandRuns(name: string): Promise<number> {
    const text = await readFile(runs, 'utf8').catch(() => '');
    return text.split('\n').filter((line) => line === name).length;
  }

  /** Adds the state file to a failure, which is where the explanation usually is. */
  async function explained<T>(name: string, output: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const state = JSON.stringify(await cli?.state(name));
      throw new Error(`${(error as Error).message}\n--- output\n${output}\n--- state\n${state}`, {
        cause: error,
      });
    }
  }

  it('installs one server: a line per state, the server and its addresses; a state file without secrets', async () => {
    const c = cli ?? assert.fail();
    const run = await c.run(provisionArgs('one'));
    await explained('one', run.output, async () => {
      assert.equal(run.exit, 'code 0');
      const [server = assert.fail('no server'), ...more] = await serversNamed('one');
      assert.equal(more.length, 0);
      assert.deepEqual(server.labels, { 'machine.caph-name': 'one', 'imageurl.io/provision': 'one' });
      for (const state of [...STATES, 'OperatingSystemRunning'])
        assert.match(run.output, new RegExp(`^  ${state}  \\(`, 'm'), `a line for ${state}`);
      assert.match(
        run.output,
        new RegExp(`^one: OperatingSystemRunning — server ${server.id}, \\d+\\.`, 'm'),
      );
      assert.equal(await commandRuns('one'), 1);
      assert.ok((await sshKeyNames()).includes('imageurl-provision-one'), 'the login key was uploaded');
      const file = c.statePath('one');
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const text = await readFile(file, 'utf8');
      for (const secret of [cloud?.sim.token ?? '', BOOTSTRAP_SECRET, 'PRIVATE KEY'])
        assert.ok(!text.includes(secret), `the state file holds no ${secret.slice(0, 12)}…`);
      assert.doesNotMatch(run.output, TOKEN_LIKE);
    });
  });

  it('run again when done: nothing happens, the same server is reported', async () => {
    const run = await (cli ?? assert.fail()).run(provisionArgs('one'));
    assert.equal(run.exit, 'code 0', run.output);
    assert.match(run.output, /^continuing Hetzner Cloud server one/m);
    assert.match(run.output, /^one: OperatingSystemRunning — server \d+/m);
    assert.equal((await serversNamed('one')).length, 1);
    assert.equal(await commandRuns('one'), 1);
  });

  it('SIGKILLed in each state and run again: one server and one command run each', async () => {
    const c = cli ?? assert.fail();
    const sim = (cloud ?? assert.fail()).sim;
    for (const state of STATES) {
      const name = `kill-${slug(state)}`;
      const child = c.start(provisionArgs(name));
      let release = (): void => undefined;
      await explained(name, child.output.text(), async () => {
        if (state === 'BootingToRealOS') {
          // It lasts a step or two: GET /servers/{id} answers 503 until released, which holds it there.
          await c.waitForState(name, 'bootState', 'RunningImageCommand', 60_000);
          const saved = (await c.state(name))?.['status'] as { providerID: string };
          const path = `/v1/servers/${saved.providerID.slice('hcloud://'.length)}`;
          sim.faults.add({ kind: 'request', method: 'GET', path, status: 503, code: 'unavailable' });
          release = () => sim.faults.clear();
        }
        await c.waitForState(name, 'bootState', state, 60_000);
      });
      child.killNow();
      assert.equal(await child.waitForExit(), 'signal SIGKILL');
      release();
      const again = await c.run(provisionArgs(name));
      await explained(name, `${child.output.text()}\n--- run again\n${again.output}`, async () => {
        assert.equal(again.exit, 'code 0');
        assert.match(again.output, new RegExp(`^continuing Hetzner Cloud server ${name}`, 'm'));
        assert.equal((await serversNamed(name)).length, 1, 'exactly one server');
        assert.equal(await commandRuns(name), 1, 'the command ran once');
      });
    }
  });

  it('Ctrl-C stops at a safe point and says how to go on; running again finishes', async () => {
    const c = cli ?? assert.fail();
    const child = c.start(provisionArgs('interrupted'));
    await c.waitForState('interrupted', 'bootState', 'RunningImageCommand', 60_000);
    process.kill(child.pid ?? assert.fail(), 'SIGINT');
    assert.equal(await child.waitForExit(), 'code 130', child.output.text());
    assert.match(
      child.output.text(),
      /^interrupted: stopped in RunningImageCommand; run the same command again/m,
    );
    const again = await c.run(provisionArgs('interrupted'));
    assert.equal(again.exit, 'code 0', again.output);
    assert.equal((await serversNamed('interrupted')).length, 1);
    assert.equal(await commandRuns('interrupted'), 1);
  });

  it('provision delete removes the server, the SSH key it uploaded and the state file', async () => {
    const c = cli ?? assert.fail();
    const run = await c.run(['provision', 'delete', 'one', '--hcloud-token-file', files.token]);
    assert.equal(run.exit, 'code 0', run.output);
    assert.match(run.output, /SSH key imageurl-provision-one: deleted/);
    assert.match(run.output, /^one: deleted; state file removed$/m);
    assert.deepEqual(await serversNamed('one'), []);
    assert.ok(!(await sshKeyNames()).includes('imageurl-provision-one'));
    assert.equal(await c.state('one'), undefined);
  });

  it('a wrong token: one clear line naming where it came from, exit 1, nothing created', async () => {
    const c = cli ?? assert.fail();
    const wrong = join(scratch, 'wrong-token');
    await writeFile(wrong, 'not-the-token\n', { mode: 0o600 });
    const args = provisionArgs('wrong').map((arg) => (arg === files.token ? wrong : arg));
    const run = await c.run(args);
    assert.equal(run.exit, 'code 1');
    assert.deepEqual(run.output.trim().split('\n'), [
      `imageurl: the Hetzner Cloud API refused the token from --hcloud-token-file ${wrong} (unauthorized): check that it is a read/write API token of the project`,
    ]);
    assert.doesNotMatch(run.output, /not-the-token/);
    assert.deepEqual(await serversNamed('wrong'), []);
    assert.equal(await c.state('wrong'), undefined);
  });
});
