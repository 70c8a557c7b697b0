import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import type { ProcessGroup } from '../process/process-group.js';

/** The listener: binds (retrying while the system that just went down still holds the port), says so. */
const LISTENER = `
const [host, port] = process.argv.slice(1);
const server = require('node:net').createServer(() => {});
let tries = 0;
server.on('error', (error) => {
  if (error.code !== 'EADDRINUSE' || ++tries > 40) { process.stdout.write('failed ' + error.code + '\\n'); process.exit(1); }
  setTimeout(() => server.listen({ host, port: Number(port), backlog: 1 }), 50);
});
server.listen({ host, port: Number(port), backlog: 1 }, () => process.stdout.write('listening\\n'));
`;

/**
 * Makes a port of a loopback address drop connection attempts without an answer, the way a
 * machine whose network is not up yet does (no RST: the client's SYN is lost, its connect hangs
 * until its own deadline), without root or packet filters: a helper process listens with an
 * accept queue of two, is stopped (SIGSTOP) so it never accepts, and two connections of our own
 * fill the queue; Linux then drops every further SYN to the port. `release` kills the helper
 * (the port is free for sshd at once) and closes the fillers.
 */
export class SilentPort {
  private helper: { child: ChildProcess; fillers: Socket[]; unhook: () => void } | undefined;
  private serial: Promise<void> = Promise.resolve();

  constructor(
    private readonly address: string,
    private readonly port: number,
    private readonly processes: ProcessGroup,
  ) {}

  /** From now on, attempts to connect go unanswered (until `release`). Idempotent. */
  hold(): Promise<void> {
    return this.queue(async () => {
      if (this.helper !== undefined) return;
      const child = spawn(process.execPath, ['-e', LISTENER, this.address, String(this.port)], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const unhook = this.processes.addExitHook(() => child.kill('SIGKILL'));
      this.helper = { child, fillers: [], unhook };
      const line = await firstLine(child);
      if (line !== 'listening') throw new Error(`cannot hold ${this.address}:${this.port} silent: ${line}`);
      child.kill('SIGSTOP');
      for (let i = 0; i < 2; i += 1) this.helper.fillers.push(await connected(this.address, this.port));
    });
  }

  /** Frees the port (a connection attempt is refused again until something listens). */
  release(): Promise<void> {
    return this.queue(async () => {
      const helper = this.helper;
      if (helper === undefined) return;
      this.helper = undefined;
      const exited = new Promise((resolve) => {
        if (helper.child.exitCode !== null || helper.child.signalCode !== null) resolve(undefined);
        else helper.child.once('exit', resolve);
      });
      helper.child.kill('SIGKILL');
      await exited;
      helper.unhook();
      for (const filler of helper.fillers) filler.destroy();
    });
  }

  private queue(task: () => Promise<void>): Promise<void> {
    const next = this.serial.then(task, task);
    this.serial = next.catch(() => undefined);
    return next;
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0] ?? '');
    });
    child.once('exit', (code) => resolve(`exited (${String(code)})`));
  });
}

function connected(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      socket.on('error', () => undefined); // reset when the helper goes: expected
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
