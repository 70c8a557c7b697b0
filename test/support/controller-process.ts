// `imageurl controller` as a child process, the way it runs in a pod: flags for everything but
// secrets, which go in the environment only (never argv, so never in a process listing). One
// at a time; `kill` is a SIGKILL (no cleanup at all), `stopAll` ends whatever is left.
import { fileURLToPath } from 'node:url';
import { ProcessGroup } from '../../sim/process/process-group.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';

const BIN = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));

export interface ControllerProcessOptions {
  readonly kubeconfigPath: string;
  readonly commandsDir: string;
  /** --hcloud-endpoint (omitted when unset). */
  readonly hcloudEndpoint?: string;
  /** --robot-endpoint (omitted when unset). */
  readonly robotEndpoint?: string;
  /** Secrets and settings by environment (e.g. OCI_REGISTRY_AUTH_TOKEN). */
  readonly env?: Readonly<Record<string, string>>;
}

export class ControllerProcesses {
  private readonly group = new ProcessGroup();
  private current: SupervisedProcess | undefined;
  private started = 0;
  /** The output of every process so far, newest last, for failure messages. */
  private readonly outputs: string[] = [];

  constructor(private readonly options: ControllerProcessOptions) {}

  /** Starts a controller and resolves once it has started its workers. */
  async start(): Promise<void> {
    if (this.current?.running === true) throw new Error('a controller process is running already');
    if (this.current) await this.forget(this.current);
    this.started += 1;
    const { kubeconfigPath, commandsDir, hcloudEndpoint, robotEndpoint } = this.options;
    const args = [
      ...[BIN, 'controller', '--kubeconfig', kubeconfigPath, '--commands-dir', commandsDir],
      ...(hcloudEndpoint === undefined ? [] : ['--hcloud-endpoint', hcloudEndpoint]),
      ...(robotEndpoint === undefined ? [] : ['--robot-endpoint', robotEndpoint]),
      ...['--metrics-bind-address', '0', '--health-probe-bind-address', '0'],
      // Test commands write no bootable disk: their port refuses, so hcloud's status decides soon.
      ...['--installed-os-ssh-timeout', '5s'],
    ];
    const child = this.group.start({
      name: `imageurl controller #${this.started}`,
      command: process.execPath,
      args,
      env: { ...process.env, IMAGEURL_LOG_LEVEL: 'info', ...this.options.env },
    });
    this.current = child;
    await child.waitForOutput((text) => text.includes('Starting controller'), 60_000);
  }

  /** Starts a controller unless one runs (e.g. after a test that failed half way). */
  async ensureRunning(): Promise<void> {
    if (this.current?.running !== true) await this.start();
  }

  /** SIGKILL: the process dies wherever it is, as in an OOM kill or a node failure. */
  async kill(): Promise<void> {
    const child = this.current;
    if (!child) return;
    child.killNow();
    await child.waitForExit();
    await this.forget(child);
  }

  async stopAll(): Promise<void> {
    if (this.current) this.outputs.push(this.current.output.text());
    this.current = undefined;
    await this.group.stopAll({ graceMs: 2_000 });
  }

  /** How many processes were started so far. */
  get starts(): number {
    return this.started;
  }

  /** The last lines every process wrote (for a failing assertion's message). */
  output(): string {
    const live = this.current ? [this.current.output.text()] : [];
    return [...this.outputs, ...live].map((text, i) => `--- controller #${i + 1}\n${text}`).join('\n');
  }

  private async forget(child: SupervisedProcess): Promise<void> {
    this.outputs.push(child.output.text());
    this.current = undefined;
    await this.group.stopMember(child);
  }
}
