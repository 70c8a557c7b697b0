import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${root}bin/imageurl.js`;

async function imageurl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the imageurl command', () => {
  it('lists exactly the commands that exist in --help', async () => {
    const { code, stdout } = await imageurl('--help');
    assert.equal(code, 0);
    const commands = [...(stdout.split('Commands:')[1] ?? '').matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(commands, [
      'image',
      'validate',
      'report',
      'provision',
      'try-command',
      'sim',
      'controller',
      'demo',
      'version',
      'webhook',
      'help',
    ]);
  });

  it('prints its version, the commit it was built from and the runtime, as text and as JSON', async () => {
    const head = (await run('git', ['-C', root, 'rev-parse', 'HEAD'])).stdout.trim();
    const modified = (await run('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'])).stdout;
    const commit = `${head.slice(0, 12)}${modified.trim() === '' ? '' : '+modified'}`;
    const text = (await imageurl('version')).stdout;
    assert.match(text, /^imageurl \d+\.\d+\.\d+ \(commit /);
    assert.ok(text.includes(`(commit ${commit}, `), `not the checkout's commit ${commit}: ${text}`);
    assert.ok(text.includes(`, node ${process.versions.node}, `), `not the runtime it runs on: ${text}`);
    const facts = JSON.parse((await imageurl('version', '--output', 'json')).stdout) as {
      imageurl: string;
      commit: string;
    };
    assert.match(facts.imageurl, /^\d+\.\d+\.\d+$/);
    assert.equal(facts.commit, head);
  });

  it('rejects a bad option value naming the option, the value and what is allowed', async () => {
    const { code, stderr } = await imageurl('version', '--output', 'yaml');
    assert.equal(code, 2);
    assert.equal(stderr, 'imageurl: --output: invalid value "yaml"; allowed: text, json\n');
  });

  it('fails on an unknown command with a pointer to --help', async () => {
    const { code, stderr } = await imageurl('frobnicate');
    assert.notEqual(code, 0);
    assert.match(stderr, /unknown command 'frobnicate'/);
    assert.match(stderr, /imageurl --help/);
  });
});

describe('imageurl controller flags', () => {
  it('accepts --leader-elect=false and the other CAPH Deployment args (the kubeconfig is what fails)', async () => {
    const caphArgs = [
      '--leader-elect=false',
      '--leader-elect-namespace=capi',
      '--hcloudmachine-concurrency=1',
    ];
    const { code, stderr } = await imageurl(
      'controller',
      ...caphArgs,
      '--kubeconfig',
      '/nonexistent/kubeconfig',
    );
    assert.equal(code, 1, stderr);
    assert.match(stderr, /^imageurl: --kubeconfig: cannot load \/nonexistent\/kubeconfig/);
  });

  it('shows every default in human units and the environment variable of every flag in --help', async () => {
    const { stdout } = await imageurl('controller', '--help');
    assert.match(stdout, /--image-url-command-timeout <duration> .*\(default: 7m; CAPH: 20m\)/);
    assert.match(
      stdout,
      /--health-probe-bind-address <host:port> .*\(default: 127\.0\.0\.1:8081; CAPH: :9440\)/,
    );
    assert.doesNotMatch(stdout, /\d{5,}/, 'a default in milliseconds');
    const own = stdout
      .split('\n')
      .filter((line) => /^ {2}--/.test(line) && !/^ {2}--(no-|help)/.test(line))
      .filter((line) => !line.includes("CAPH's name of") && !line.includes('CAPH only'));
    for (const line of own) assert.match(line, /\[\$[A-Z_]+\]$/, line);
  });

  it('reports every bad flag one way and exits 2', async () => {
    for (const [args, message] of [
      [
        ['--leader-elect=maybe'],
        '--leader-elect: invalid value "maybe"; allowed: true or false (also 1, 0, t, f)',
      ],
      [['--webhook-port=x'], '--webhook-port: invalid value "x"; allowed: 0 to 65535'],
      [['--concurrency=many'], '--concurrency: invalid value "many"; allowed: an integer from 1 to 1000'],
      [['--frobnicate=1'], '--frobnicate: unknown flag'],
    ] as const) {
      const { code, stderr } = await imageurl('controller', ...args);
      assert.equal(code, 2, stderr);
      assert.equal(stderr.split('\n')[0], `imageurl: ${message}`);
    }
  });
});
