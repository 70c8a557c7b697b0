import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string): string => `${root}node_modules/.bin/${name}`;

async function check(command: string, args: string[]): Promise<void> {
  try {
    await promisify(execFile)(bin(command), args, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    assert.fail(`${command} ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}

// The project's own rules (strict types, lint budgets, formatting) hold on every commit.
describe('code quality', () => {
  it('type-checks under strict TypeScript', async () => {
    await check('tsc', ['-p', 'tsconfig.json', '--noEmit']);
  });

  it('passes eslint (floating promises, return types, complexity, file size)', async () => {
    await check('eslint', ['--max-warnings', '0', '.']);
  });

  it('is formatted with prettier', async () => {
    await check('prettier', ['--check', '.']);
  });

  it('passes shellcheck on every shell script (commands run as root in rescue systems)', async () => {
    const { stdout } = await promisify(execFile)('git', ['ls-files', '-z', '*.sh', 'commands/*', '.ci/run'], {
      cwd: root,
    });
    const scripts = stdout.split('\0').filter((file) => file !== '' && !file.endsWith('.md'));
    assert.ok(scripts.length >= 8, `expected the project's shell scripts, found ${scripts.join(', ')}`);
    try {
      await promisify(execFile)('shellcheck', scripts, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      assert.fail(`shellcheck failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    }
  });
});
