import type { StateChange } from '../state-machine/index.js';
import type { CloudServerStatus } from '../ports/cloud-servers.js';
import type { BootState } from './boot-state.js';
import type { MachineConditions } from './conditions.js';

/**
 * Everything the core needs to know about one machine, as plain data the caller gathered
 * (HCloudMachine spec, owner Machine's bootstrap secret, HetznerCluster keys, controller env).
 * Secrets in here (bootstrap data, private key, registry token) never reach status or events.
 */
export interface MachineInput {
  /** HCloudMachine name = server name = the command's third argument. */
  readonly name: string;
  /** `spec.type`, e.g. cpx22. */
  readonly serverType: string;
  /** `spec.imageURL`, the command's first argument, byte-exact; '' with `imageName`. */
  readonly imageUrl: string;
  /** `spec.imageURLCommand`: a basename the injected CommandResolver finds; '' with `imageName`. */
  readonly commandName: string;
  /**
   * `spec.imageName`: the server starts from this image (or snapshot labelled
   * `caph-image-name=<name>`) with the bootstrap data as user data; no rescue, no command.
   */
  readonly imageName?: string;
  /** The bootstrap secret's `value`; undefined while Cluster API has not made it yet. */
  readonly bootstrapData?: string | Uint8Array;
  /** Hetzner Cloud SSH key names for the server and its rescue system. */
  readonly sshKeys: readonly string[];
  /**
   * Server labels (CAPH's `caph-cluster-<cluster>=owned`, `machine.caph-name=<name>`,
   * `machine_type=…`, and `imageurl.io/namespace=<namespace>`): a server is this machine's only
   * when it has this name and all of them (server-ownership.ts).
   */
  readonly labels: Readonly<Record<string, string>>;
  /** `status.region` as the caller computed it from the failure domain. */
  readonly location?: string;
  readonly publicNetwork?: { readonly enableIPv4: boolean; readonly enableIPv6: boolean };
  /**
   * `spec.placementGroupName` and the group's ID from the HetznerCluster's status (absent while
   * the cluster has no such group: then no server is created).
   */
  readonly placementGroup?: { readonly name: string; readonly id?: number };
  /** The cluster's private network (HetznerCluster status), joined at creation. */
  readonly networkIds?: readonly number[];
  /** The private key root logs into the rescue system with, or why there is none. */
  readonly rescueKey: RescueKeyInput;
  /** OCI_REGISTRY_AUTH_TOKEN of the controller process, for the command's environment. */
  readonly registryToken?: string;
}

export type RescueKeyInput =
  | { readonly status: 'available'; readonly privateKey: string }
  /** HetznerCluster.spec.sshKeys.robotRescueSecretRef.name is empty: nothing to wait for. */
  | { readonly status: 'secret-ref-not-configured' }
  | { readonly status: 'secret-not-found'; readonly message: string }
  | { readonly status: 'field-empty'; readonly message: string };

export interface MachineAddress {
  readonly type: 'ExternalIP' | 'InternalIP' | 'Hostname';
  readonly address: string;
}

export interface ExternalIDs {
  /** `-1` (ACTION_DONE) once the action finished; absent or 0 = not set. */
  readonly actionIdCreateServer?: number;
  readonly actionIdEnableRescueSystem?: number;
}

/** A create request Hetzner rejected, and when it may be sent again. */
export interface CreateRejection {
  /** Digest of the spec fields the request was made of: another digest is another request. */
  readonly request: string;
  readonly at: Date;
  /** Rejections of this request in a row (0: re-opened after a spec change). */
  readonly count: number;
  /** Absent: never for this request (permanent); else not before this instant. */
  readonly retryAt?: Date;
}

/** CAPH's sentinel for "this action finished". */
export const ACTION_DONE = -1;

/**
 * The machine's status as the core reads and returns it. The first block maps 1:1 onto
 * HCloudMachine status (+ spec.providerID); the second block is the core's own bookkeeping,
 * which the caller must persist too (CAPH's CRD has no field for it: an annotation will do).
 */
export interface MachineStatus {
  readonly bootState: BootState;
  /** When bootState last changed; per-state timeouts count from here. */
  readonly bootStateSince?: Date;
  /** `hcloud://<server id>` (goes to spec.providerID). */
  readonly providerID?: string;
  readonly externalIDs?: ExternalIDs;
  readonly addresses?: readonly MachineAddress[];
  /** hcloud server status (`deleting` while deleted). */
  readonly instanceState?: CloudServerStatus | 'deleting';
  readonly ready?: boolean;
  /** The SSH key names the server was created with. */
  readonly sshKeys?: readonly string[];
  readonly conditions?: MachineConditions;

  /** `SHA256:…` of the rescue system's host key, pinned on first contact with this rescue boot. */
  readonly rescueHostKey?: string;
  /**
   * The pin of the rescue boot that was left, kept until the installed OS answers with another
   * key (a fingerprint of a public key, no secret; in the bookkeeping annotation only).
   */
  readonly leftRescueHostKey?: string;
  /** Set just before the create call, so deletion knows a server may exist without a providerID. */
  readonly serverRequested?: boolean;
  /** The last create request Hetzner rejected in a way retrying cannot change (create-rejection.ts). */
  readonly createRejection?: CreateRejection;
  /** Power cycles after a rescue boot that did not answer in time (rescue-boot-retry.ts); never reset. */
  readonly rescueResets?: number;
  /** Errors in a row; drives the backoff, reset by any other result. */
  readonly consecutiveErrors?: number;
  /** The last bootState changes and failures, oldest first (bounded; the engine's). */
  readonly stateHistory?: readonly StateChange<BootState>[];
}

/** The status of a machine the core has never seen. */
export function initialStatus(): MachineStatus {
  return { bootState: '' };
}
