/**
 * The dedicated servers of one Hetzner Robot account, as the bare-metal image-url flow needs
 * them (as CAPH's `pkg/services/baremetal/host/host.go`): read the server's addresses, keep the rescue
 * and OS SSH keys stored in Robot, arm the rescue system with them, reset the server into it,
 * see the activation consumed, name the server after the machine. Every method takes one input
 * object and resolves with typed values or rejects with a RobotError (./robot-errors.ts); an
 * unknown server number rejects with `ROBOT_NOT_FOUND` everywhere. The HTTP adapter lives in
 * src/hetzner/robot/; it retries only what is safe to send twice and keeps to Robot's
 * per-endpoint hourly limits.
 *
 * The rescue password Robot returns on activation is deliberately not part of this port: the
 * flow logs in with keys only, so the password is never held, logged or stored.
 */
export interface RobotServers {
  /** `preparing`: the server's addresses (the rescue system answers SSH on `ipv4`). */
  getServer(input: RobotServerRef): Promise<RobotServer>;
  /**
   * Sets the server's name in Robot: `image-installing` names it after the machine on success,
   * deprovisioning names it back. Setting the same name again is harmless.
   */
  renameServer(input: RenameServerInput): Promise<RobotServer>;
  /**
   * The rescue activation as it is now. `active` turns false once the server has booted into
   * the rescue system (Robot activations are one-shot), which is how `registering` sees that a
   * reset really happened.
   */
  getRescue(input: RobotServerRef): Promise<RobotRescue>;
  /**
   * Arms the rescue system (`linux`) for the next boot with these stored keys; it does not
   * reboot. An activation that is already armed rejects with `ROBOT_CONFLICT`
   * (`BOOT_ALREADY_ENABLED`): deactivate first, as `preparing` always does.
   */
  activateRescue(input: ActivateRescueInput): Promise<RobotRescue>;
  /** Disarms the rescue system; disarming an inactive one succeeds too. */
  deactivateRescue(input: RobotServerRef): Promise<RobotRescue>;
  /** Which reset types this server offers, to pick `sw` when offered and `hw` otherwise. */
  getResetOptions(input: RobotServerRef): Promise<RobotResetOptions>;
  /**
   * Triggers a reset; it returns once Robot accepted it, not when the server is back. A type
   * the server does not offer rejects with `ROBOT_INVALID_INPUT`; while a manual reset is
   * pending, with a retryable `ROBOT_CONFLICT` (`RESET_MANUAL_ACTIVE`).
   */
  reset(input: ResetInput): Promise<void>;
  /** Every SSH key stored in the account (none is an empty list, not an error). */
  listSshKeys(): Promise<readonly RobotSshKey[]>;
  /**
   * The stored key with this public key's material (looked up by its MD5 fingerprint, which
   * is how Robot identifies keys; the name does not matter), or undefined.
   */
  findSshKey(input: FindSshKeyInput): Promise<RobotSshKey | undefined>;
  /**
   * Stores a public key under a name. The same key material stored already (under any name)
   * rejects with `ROBOT_CONFLICT` (`KEY_ALREADY_EXISTS`): look it up with `findSshKey`.
   */
  createSshKey(input: CreateSshKeyInput): Promise<RobotSshKey>;
}

export interface RobotServerRef {
  /** Robot's `server_number`. */
  readonly serverNumber: number;
}

export interface RenameServerInput extends RobotServerRef {
  /** At most 100 characters (Robot's limit). */
  readonly name: string;
}

export interface RobotServer {
  readonly serverNumber: number;
  readonly name: string;
  /** Main IPv4; absent on IPv6-only servers (the flow cannot use those). */
  readonly ipv4?: string;
  /** The IPv6 /64 as Robot prints it, e.g. `2001:db8:10:20::` (the host is `<net>1`). */
  readonly ipv6Network?: string;
  /** Product name, e.g. `AX52`. */
  readonly product: string;
  /** Datacenter, e.g. `FSN1-DC14`. */
  readonly datacenter: string;
  /** `in process` while Hetzner is still setting the server up. */
  readonly status: 'ready' | 'in process';
  readonly cancelled: boolean;
  /** Whether the server offers the rescue system and resets at all (false when Robot omits it). */
  readonly rescueAvailable: boolean;
  readonly resetAvailable: boolean;
}

export interface RobotRescue {
  readonly serverNumber: number;
  /** True while an activation waits for the next boot. */
  readonly active: boolean;
  /** The activated system, e.g. `linux`; absent while inactive. */
  readonly os?: string;
  /** MD5 fingerprints of the keys root may log in with (empty while inactive). */
  readonly authorizedKeyFingerprints: readonly string[];
  /**
   * The rescue system's host keys as Robot's `host_key` names them (`MD5:aa:bb:…` or
   * `SHA256:…`); absent when Robot gives none we can read, which is the usual case.
   */
  readonly hostKeyFingerprints?: readonly string[];
  /** `host_key` entries in a form we cannot read: ignored, never taken as a match. */
  readonly unreadableHostKeys?: number;
}

export interface ActivateRescueInput extends RobotServerRef {
  /** MD5 fingerprints (`aa:bb:…`, 16 bytes) of keys stored in Robot; at least one. */
  readonly authorizedKeyFingerprints: readonly string[];
}

/**
 * Robot's reset types: `sw` Ctrl+Alt+Del, `hw` the reset button (all servers), `power` the power
 * button, `power_long` a forced off, `man` a technician's power cycle (slow, by e-mail).
 */
export type RobotResetType = 'sw' | 'hw' | 'power' | 'power_long' | 'man';

/**
 * The types the flow may trigger: `sw` (or `hw` when `sw` is not offered) to boot into rescue,
 * `hw` to escalate when the software reset did not take, `power` to switch on a server that is
 * off. `power_long` (leaves the server off) and `man` (a technician) are never used.
 */
export type RobotResetRequest = Extract<RobotResetType, 'sw' | 'hw' | 'power'>;

export interface RobotResetOptions {
  readonly serverNumber: number;
  /** The types this server offers, in Robot's order (unknown types left out). */
  readonly types: readonly RobotResetType[];
  /** E.g. `running` or `shut off` on servers with power-state support; else `not supported`. */
  readonly operatingStatus?: string;
}

export interface ResetInput extends RobotServerRef {
  readonly type: RobotResetRequest;
}

export interface RobotSshKey {
  readonly name: string;
  /** MD5 fingerprint, colon hex, as Robot shows it and as `activateRescue` takes it. */
  readonly fingerprint: string;
  /** `ED25519`, `RSA`, `ECDSA`, … */
  readonly type: string;
  /** Key size in bits. */
  readonly size: number;
}

export interface FindSshKeyInput {
  /** An OpenSSH public key line: `ssh-ed25519 AAAA… comment`. */
  readonly publicKey: string;
}

export interface CreateSshKeyInput extends FindSshKeyInput {
  readonly name: string;
}
