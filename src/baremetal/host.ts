import type { StateChange } from '../state-machine/index.js';
import type { RobotResetType } from '../ports/robot-servers.js';
import type { HostConditions } from './reasons.js';
import type { HostState } from './host-state.js';

/**
 * Everything the core needs to know about one HetznerBareMetalHost, as plain data the caller
 * gathered (host spec, the claiming HetznerBareMetalMachine's copy in spec.status, the
 * bootstrap and SSH secrets, controller env). Secrets in here never reach status or events.
 */
export interface HostInput {
  /** HetznerBareMetalHost name (transitions, events; the Robot server name while unclaimed). */
  readonly name: string;
  /** `spec.serverID`: Robot's server number. */
  readonly serverId: number;
  /** `spec.rootDeviceHints`: the disk(s) to install on. */
  readonly rootDeviceHints?: RootDeviceHints;
  /** What the claiming machine asked for; undefined while unclaimed or once released. */
  readonly request?: ProvisioningRequest;
  /** The host object is being deleted: deprovision, then the caller drops its finalizer. */
  readonly deleting?: boolean;
  /**
   * Another HetznerBareMetalHost (`namespace/name`), created earlier, names the same Robot server:
   * this host makes no Robot or SSH call (a server belongs to one host).
   */
  readonly serverClaimedBy?: string;
  /** The rescue key (HetznerCluster.spec.sshKeys.robotRescueSecretRef), or why it is missing. */
  readonly rescueKey: HostRescueKey;
  /** OCI_REGISTRY_AUTH_TOKEN of the controller process, for the command's environment. */
  readonly registryToken?: string;
}

export interface RootDeviceHints {
  /** One disk, no RAID. */
  readonly wwn?: string;
  /** Two or more disks for a software RAID (`swraid: 1`). */
  readonly raid?: { readonly wwn?: readonly string[] };
}

/** `deviceStringType`: kernel names (`''`, `short`) or WWNs (`wwn`) as the command's 4th argument. */
export type DeviceStringType = '' | 'short' | 'wwn';

/**
 * The claiming machine's request: `spec.status.installImage` (command mode), the bootstrap data
 * of `spec.status.userData` and how to reach the installed OS (`spec.status.sshSpec`).
 */
export interface ProvisioningRequest {
  /**
   * The command's third argument and the hostname the installed OS must answer with:
   * `bm-<machine>` or `bm-<cluster>-<serverID>` (hostnameOf, as CAPH names it).
   */
  readonly hostname: string;
  /** `installImage.image.url`, the command's first argument, byte-exact. */
  readonly imageUrl: string;
  /** `installImage.imageURLCommand`: a basename the injected CommandResolver finds. */
  readonly commandName: string;
  readonly deviceStringType: DeviceStringType;
  /** `installImage.swraid`: 1 requires `rootDeviceHints.raid.wwn` (two or more disks). */
  readonly swraid: 0 | 1;
  /** The bootstrap secret's `value`; undefined while it cannot be read. */
  readonly bootstrapData?: string | Uint8Array;
  readonly os: OsCheck;
}

/** How `ensure-provisioned` knows the installed OS is up (`sshSpec`). */
export type OsCheck =
  /** SSH with the OS key on `portAfterInstallImage`; `hostname` must be the request's hostname. */
  | { readonly check: 'ssh'; readonly privateKey: string; readonly port: number }
  /** `noSSHAfterInstallImage`: provisioned as soon as the server was rebooted out of rescue. */
  | { readonly check: 'none' };

export type HostRescueKey =
  | {
      readonly status: 'available';
      /** The key's name in Robot when it has to be uploaded (`robotRescueSecretRef.key.name`). */
      readonly name: string;
      /** OpenSSH public key line. */
      readonly publicKey: string;
      readonly privateKey: string;
    }
  | { readonly status: 'unavailable'; readonly message: string };

/** CAPH's error types (`spec.status.errorType`) that this core writes. */
export const hostErrorTypes = {
  preparation: 'preparation error',
  registration: 'registration error',
  provisioning: 'provisioning error',
  /** The machine is remediated (CAPH's HasFatalError). */
  fatal: 'fatal error',
  /** Remediated too; the host itself is unusable (server gone, no IPv4). */
  permanent: 'permanent error',
} as const;

export type HostErrorType = (typeof hostErrorTypes)[keyof typeof hostErrorTypes];

/** True for the error types that get the consuming machine remediated. */
export function isFatalErrorType(type: HostErrorType | undefined): boolean {
  return type === hostErrorTypes.fatal || type === hostErrorTypes.permanent;
}

/** One disk of `hardwareDetails.storage`; the kernel name is left out (it changes across boots). */
export interface HostStorage {
  readonly sizeBytes: number;
  readonly sizeGB: number;
  readonly wwn?: string;
  readonly model?: string;
  readonly serialNumber?: string;
}

export interface RobotKeyRef {
  readonly name: string;
  /** MD5, colon hex, as Robot shows it. */
  readonly fingerprint: string;
}

/** How the last reboot was triggered: Robot reset types, or `ssh` (a reboot command). */
export type HostRebootType = Extract<RobotResetType, 'sw' | 'hw' | 'power'> | 'ssh';

/**
 * The host's status as the core reads and returns it. The first block maps 1:1 onto CAPH's
 * `spec.status` fields of the same names; the second block is the core's own bookkeeping,
 * which the caller must persist too (CAPH's CRD has no field for it: an annotation will do).
 */
export interface HostStatus {
  readonly provisioningState: HostState;
  readonly ipv4?: string;
  /** The server's IPv6 (Robot's /64 network + 1). */
  readonly ipv6?: string;
  /** The reset types Robot offers for this server. */
  readonly rebootTypes?: readonly RobotResetType[];
  readonly rebootTriggeredAt?: Date;
  readonly hardwareDetails?: { readonly storage?: readonly HostStorage[] };
  readonly sshStatus?: { readonly rescueKey?: RobotKeyRef };
  readonly errorType?: HostErrorType;
  readonly errorMessage?: string;
  /** Errors in a row; drives the backoff, reset by any other result. */
  readonly errorCount?: number;
  /** `ProvisionSucceeded` (CAPH's only host condition besides the Ready summary). */
  readonly conditions?: HostConditions;

  /** When provisioningState last changed; per-state timeouts count from here. */
  readonly provisioningStateSince?: Date;
  /** When the command was started: the command timeout counts from here (CAPH's never fires). */
  readonly imageUrlCommandStartedAt?: Date;
  /** `SHA256:…` of the rescue boot's host key, pinned once it answered `rescue`. */
  readonly rescueHostKey?: string;
  /**
   * The host keys Robot's rescue activation answer vouched for (`MD5:…`/`SHA256:…`): the first
   * rescue connection must present one of them. Absent when Robot gave none (trust on first use).
   */
  readonly rescueHostKeysFromRobot?: readonly string[];
  /**
   * `SHA256:…` of the installed OS's host key, pinned by the first connection of
   * ensure-provisioned after the reboot into it; a reboot or a new provisioning forgets it.
   */
  readonly osHostKey?: string;
  /** How `rebootTriggeredAt`'s reboot was triggered (escalation: sw → hw). */
  readonly lastReboot?: HostRebootType;
  /** Resets after a rescue boot that did not answer in time, this provisioning (rescue-boot-retry.ts). */
  readonly rescueResets?: number;
  /** The last of them: registering's timeout counts from here. */
  readonly rescueResetAt?: Date;
  /** The last provisioningState changes and failures, oldest first (bounded; the engine's). */
  readonly stateHistory?: readonly StateChange<HostState>[];
}

/** The status of a host the core has never seen: available. */
export function initialHostStatus(): HostStatus {
  return { provisioningState: '' };
}

/**
 * CAPH's host name (`pkg/scope/baremetalhost.go` Hostname): `bm-<machine>`, or with the
 * constant-hostname annotation on the Cluster or the machine `bm-<cluster>-<serverID>`.
 */
export function hostnameOf(names: {
  readonly machineName: string;
  readonly clusterName: string;
  readonly serverId: number;
  readonly constantHostname: boolean;
}): string {
  return names.constantHostname ? `bm-${names.clusterName}-${names.serverId}` : `bm-${names.machineName}`;
}
