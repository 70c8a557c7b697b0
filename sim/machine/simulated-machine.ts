import { join } from 'node:path';
import type { BootFault } from '../faults/fault-rules.js';
import { ServerHost, type SystemExit } from '../host/server-host.js';
import { findOsTarget, osSystemFiles } from './boot-target.js';
import type { MachineEvent, MachineOptions, RescueActivation } from './machine-options.js';
import { OsServiceSlot } from './os-services.js';
import { SilentPort } from './silent-port.js';

export type { MachineEvent, MachineOptions, RescueActivation } from './machine-options.js';

/**
 * The hardware side of a simulated server: power, the one-shot rescue flag and what boots.
 * Powering on boots rescue when it was activated (consuming the activation, as on Hetzner),
 * else the first disk holding a valid simulated OS image; a disk without one never answers.
 */
export class SimulatedMachine {
  readonly host: ServerHost;
  private power: 'on' | 'off' = 'off';
  private rescue: RescueActivation | undefined;
  /** Bumped by every power change, so a boot scheduled before it is dropped. */
  private generation = 0;
  private upSystem: 'rescue' | 'os' | undefined;
  private serial: Promise<void> = Promise.resolve();
  private lastBootEvent: Extract<MachineEvent, { type: 'booted' | 'not-booted' }> | undefined;
  private readonly services: OsServiceSlot;
  private readonly silence: SilentPort | undefined;

  constructor(private readonly options: MachineOptions) {
    this.services = new OsServiceSlot(options.osServices);
    this.host = new ServerHost({
      name: options.name,
      address: options.address,
      disks: options.disks,
      stateDir: options.stateDir,
      processes: options.processes,
      onSystemExit: (exit) => this.systemExited(exit),
    });
    if (options.whileBooting === 'drop' && options.bootSystems)
      this.silence = new SilentPort(options.address, this.host.port, options.processes);
  }

  get poweredOn(): boolean {
    return this.power === 'on';
  }

  /** The system answering SSH right now, if any. */
  get system(): 'rescue' | 'os' | undefined {
    return this.host.poweredOn ? this.upSystem : undefined;
  }

  /** How the latest boot attempt ended (booted, or why nothing answers), for views and tests. */
  get lastBoot(): Extract<MachineEvent, { type: 'booted' | 'not-booted' }> | undefined {
    return this.lastBootEvent;
  }

  get rescueActive(): boolean {
    return this.rescue !== undefined;
  }

  activateRescue(activation: RescueActivation): void {
    this.rescue = activation;
  }

  /** With `activation`, only that one (a lapse timer must not clear a newer activation). */
  deactivateRescue(activation?: RescueActivation): void {
    if (activation === undefined || this.rescue === activation) this.rescue = undefined;
  }

  /** Presses the power button of a machine that is off; nothing happens when it is on. */
  powerOn(): void {
    if (this.power === 'on') return;
    this.power = 'on';
    this.startBoot(this.options.durations.startServerMs);
  }

  /** A hard reset: the running system dies at once and the machine boots again. */
  reset(): void {
    this.power = 'on';
    this.enqueue(() => this.down()).catch(this.options.onError);
    this.startBoot(0);
  }

  /** Pulls the plug. */
  async powerOff(): Promise<void> {
    this.power = 'off';
    this.generation += 1;
    this.upSystem = undefined;
    await this.enqueue(() => this.down());
    await this.silence?.release();
  }

  /** The running system and what it started end together. */
  private async down(): Promise<void> {
    await this.services.stop();
    await this.host.powerOff();
  }

  /**
   * ACPI reboot/shutdown: only a booted system reacts (returns whether one did); a shutdown
   * takes the system the stop duration, then the machine is off.
   */
  acpi(request: 'reboot' | 'poweroff'): boolean {
    if (this.system === undefined) return false;
    if (request === 'reboot') {
      this.reset();
      return true;
    }
    const generation = this.generation;
    this.options.scheduler.after(
      this.options.durations.stopServerMs,
      async () => {
        if (generation !== this.generation) return;
        await this.powerOff();
        this.options.onEvent({ type: 'guest-poweroff' });
      },
      this.options.onError,
    );
    return true;
  }

  async destroy(): Promise<void> {
    this.power = 'off';
    this.generation += 1;
    await this.enqueue(async () => {
      await this.services.stop();
      await this.host.destroy();
    });
    await this.silence?.release();
  }

  private startBoot(firmwareMs: number): void {
    const generation = ++this.generation;
    this.upSystem = undefined;
    const silence = this.silence;
    if (silence) this.enqueue(() => silence.hold()).catch(this.options.onError);
    const rescue = this.rescue;
    if (rescue) {
      this.rescue = undefined;
      this.options.onEvent({ type: 'rescue-consumed' });
    }
    const delay =
      firmwareMs + (rescue ? this.options.durations.rescueBootMs : this.options.durations.osBootMs);
    this.options.scheduler.after(
      delay,
      () => this.enqueue(() => (rescue ? this.bootRescue(generation, rescue) : this.bootOs(generation))),
      this.options.onError,
    );
  }

  /** A boot fault names the machine, or the Cloud server it is (as the fault rules say). */
  private faultNames(): string[] {
    const server = this.options.instance?.()?.name;
    return server === undefined ? [this.options.name] : [this.options.name, server];
  }

  private async bootRescue(generation: number, rescue: RescueActivation): Promise<void> {
    if (generation !== this.generation) return;
    const fault = this.options.faults.forBoot('rescue', this.faultNames());
    const hostname = fault?.outcome === 'wrong-hostname' ? (fault.hostname ?? 'localhost') : 'rescue';
    // `foreign-host-key`: another system answers in its place, with a key nobody published.
    const hostKey = fault?.outcome === 'foreign-host-key' ? undefined : rescue.hostKey;
    await this.bootHost(generation, 'rescue', fault, {
      hostname,
      authorizedKeys: rescue.authorizedKeys,
      ...(rescue.password === undefined ? {} : { rootPassword: rescue.password }),
      ...(hostKey === undefined ? {} : { hostKey }),
    });
  }

  private async bootOs(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    await this.host.disks.create();
    const target = await findOsTarget(this.host);
    if (!target.bootable) {
      this.bootEnded({ type: 'not-booted', system: 'os', reason: target.reason });
      return;
    }
    const fault = this.options.faults.forBoot('os', this.faultNames());
    const hostname =
      fault?.outcome === 'wrong-hostname' ? (fault.hostname ?? 'localhost') : target.plan.hostname;
    await this.bootHost(generation, 'os', fault, {
      hostname,
      authorizedKeys: target.plan.authorizedKeys,
      files: osSystemFiles(target),
    });
    if (generation !== this.generation || this.upSystem !== 'os') return;
    this.services.start({
      bootstrapData: target.plan.bootstrapData,
      hostname,
      address: this.host.address,
      systemRoot: this.host.systemRoot,
      stateDir: join(this.options.stateDir, 'os-services'),
      instance: this.options.instance?.(),
    });
  }

  private async bootHost(
    generation: number,
    system: 'rescue' | 'os',
    fault: BootFault | undefined,
    boot: Parameters<ServerHost['boot']>[0],
  ): Promise<void> {
    if (generation !== this.generation) return;
    if (!this.options.bootSystems || fault?.outcome === 'no-ssh') {
      this.bootEnded({
        type: 'not-booted',
        system,
        reason: fault ? 'fault: no-ssh' : 'systems disabled',
      });
      return;
    }
    await this.silence?.release();
    await this.host.boot(boot);
    this.upSystem = system;
    this.bootEnded({ type: 'booted', system, hostname: boot.hostname });
    if (fault?.outcome === 'drop-ssh') this.scheduleDrops(generation, fault.afterMs ?? 1_000);
  }

  /** Cuts the connections open `afterMs` after the boot, once (a network blip, not an outage). */
  private scheduleDrops(generation: number, afterMs: number): void {
    this.options.scheduler.after(
      afterMs,
      async () => {
        if (generation === this.generation) await this.host.dropConnections();
      },
      this.options.onError,
    );
  }

  /** The guest ended itself: reboot boots what is next; poweroff leaves the machine off. */
  private systemExited(exit: SystemExit): void {
    this.upSystem = undefined;
    this.enqueue(() => this.services.stop()).catch(this.options.onError);
    if (exit.reason === 'reboot') this.startBoot(this.options.durations.resetServerMs);
    else if (exit.reason === 'poweroff') {
      this.power = 'off';
      this.generation += 1;
      this.options.onEvent({ type: 'guest-poweroff' });
    }
    // A crash leaves the machine powered with nothing answering, like a kernel panic.
  }

  private bootEnded(event: Extract<MachineEvent, { type: 'booted' | 'not-booted' }>): void {
    this.lastBootEvent = event;
    this.options.onEvent(event);
  }

  /** Host operations run one at a time, so a power-off never races a boot in progress. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.serial.then(task, task);
    this.serial = next.catch(() => undefined); // the caller of this task sees its failure
    return next;
  }
}
