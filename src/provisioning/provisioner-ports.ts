import type { Clock } from '../ports/clock.js';
import type { CloudServers } from '../ports/cloud-servers.js';
import type { CommandResolver } from '../ports/command-resolver.js';
import type { EventSink } from '../ports/event-sink.js';
import type { RescueSystem } from '../ports/rescue-system.js';
import type { SshBanners } from '../ports/ssh-banners.js';
import type { SshHostKeys } from '../ports/ssh-host-keys.js';
import type { VerifiedServers } from './server-ownership.js';
import type { WaitBook } from './wait-book.js';

/** Everything outside the hcloud core that one provisioner talks to: steps and deletion alike. */
export interface ProvisionerPorts {
  readonly cloud: CloudServers;
  readonly rescue: RescueSystem;
  readonly commands: CommandResolver;
  readonly clock: Clock;
  readonly events: EventSink;
  /**
   * The (machine, server) pairs this process already checked, shared by every provisioner of the
   * process (the composition root holds it). Absent: the provisioner keeps its own.
   */
  readonly verifiedServers?: VerifiedServers;
  /** Planned looks and learned durations, shared the same way (absent: the provisioner's own). */
  readonly waits?: WaitBook;
  /** Whether a booting server's SSH answers, without a wait (absent: it is asked over SSH at once). */
  readonly banners?: SshBanners;
  readonly hostKeys?: SshHostKeys;
  /** Reconciles this machine soon (its queue key), e.g. when its server's SSH banner appears. */
  readonly wake?: () => void;
}
