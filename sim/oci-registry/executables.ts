import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { OciUser } from './users.js';

/**
 * The absolute path of `name` on PATH, or an error naming the Debian package that provides it.
 */
export async function findExecutable(
  name: string,
  debianPackage: string,
  path = process.env.PATH ?? '',
): Promise<string> {
  for (const directory of path.split(delimiter)) {
    if (!isAbsolute(directory)) continue;
    const candidate = join(directory, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  throw new Error(
    `${name} was not found on PATH (${path || 'empty'}); install the Debian package ${debianPackage} (apt-get install ${debianPackage})`,
  );
}

/**
 * One bcrypt htpasswd line for `user`, made by `htpasswd -niB <username>` with the password fed
 * on stdin, so it never appears on a command line.
 */
export async function htpasswdEntry(htpasswd: string, user: OciUser, deadlineMs = 10_000): Promise<string> {
  const child = spawn(htpasswd, ['-niB', user.username], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => undefined); // reported through the exit status instead
  child.stdin.end(`${user.password}\n`);
  const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
  const exit = await new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`failed to start: ${error.message}`));
    child.once('close', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code ?? 'unknown'}`));
  }).finally(() => clearTimeout(timer));
  const entry = stdout.split('\n')[0]?.trim() ?? '';
  if (exit !== 'code 0' || !entry.startsWith(`${user.username}:$2`)) {
    throw new Error(
      `htpasswd for user ${JSON.stringify(user.username)} failed (${exit}): ${stderr.trim() || '(no output)'}`,
    );
  }
  return entry;
}
