import { SupervisedProcess, type ProcessSpec, type StopOptions } from './supervised-process.js';

/**
 * Owns the processes of one environment (a test file, the demo). Stopping the group stops them
 * in reverse start order; if our own process exits first, they are killed synchronously so no
 * test run leaves a process behind.
 */
export class ProcessGroup {
  private readonly members: SupervisedProcess[] = [];
  private readonly exitHooks = new Set<() => void>();
  private readonly killAll = (): void => {
    for (const member of this.members) member.killNow();
    for (const hook of this.exitHooks) hook();
  };

  constructor() {
    process.once('exit', this.killAll);
  }

  start(spec: ProcessSpec): SupervisedProcess {
    const member = SupervisedProcess.start(spec);
    this.members.push(member);
    return member;
  }

  /**
   * Registers synchronous cleanup (e.g. detaching loop devices) for when our process exits
   * before the environment was stopped. Returns the function that unregisters it.
   */
  addExitHook(hook: () => void): () => void {
    this.exitHooks.add(hook);
    return () => this.exitHooks.delete(hook);
  }

  /** Stops one member and forgets it. */
  async stopMember(member: SupervisedProcess, options?: StopOptions): Promise<void> {
    await member.stop(options);
    const index = this.members.indexOf(member);
    if (index >= 0) this.members.splice(index, 1);
  }

  async stopAll(options?: StopOptions): Promise<void> {
    while (this.members.length > 0) {
      const member = this.members.pop();
      if (member) await member.stop(options);
    }
    process.removeListener('exit', this.killAll);
  }
}
