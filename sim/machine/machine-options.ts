import type { FaultBook } from '../faults/fault-book.js';
import type { Scheduler } from '../http/scheduler.js';
import type { DiskSpec } from '../host/host-disks.js';
import type { SshKeyPair } from '../host/ssh-keys.js';
import type { ProcessGroup } from '../process/process-group.js';
import type { SimDurations } from './durations.js';
import type { OsServices } from './os-services.js';

export type MachineEvent =
  | { readonly type: 'rescue-consumed' }
  | { readonly type: 'booted'; readonly system: 'rescue' | 'os'; readonly hostname: string }
  | { readonly type: 'not-booted'; readonly system: 'rescue' | 'os'; readonly reason: string }
  | { readonly type: 'guest-poweroff' };

export interface MachineOptions {
  /** Names the machine in faults (`server` of a boot fault) and host names. */
  readonly name: string;
  readonly address: string;
  readonly disks: readonly DiskSpec[];
  readonly stateDir: string;
  readonly processes: ProcessGroup;
  readonly scheduler: Scheduler;
  readonly durations: SimDurations;
  /** While booting, port 22 refuses (default) or drops connection attempts (./silent-port.ts). */
  readonly whileBooting?: 'refuse' | 'drop';
  readonly faults: FaultBook;
  /** False runs the power model only, with nothing answering SSH (no root needed). */
  readonly bootSystems: boolean;
  /** What the installed OS runs once booted (e.g. kubeadm's node for kubeadm bootstrap data). */
  readonly osServices?: OsServices;
  /** The instance metadata cloud-init would read (the server's name and ID). */
  readonly instance?: () => { readonly name: string; readonly id: string } | undefined;
  readonly onEvent: (event: MachineEvent) => void;
  readonly onError: (error: unknown) => void;
}

export interface RescueActivation {
  readonly authorizedKeys: readonly string[];
  /** The root password the API returned for this activation. */
  readonly password?: string;
  /** The host key the API published for this activation; the rescue system presents it. */
  readonly hostKey?: SshKeyPair;
}
