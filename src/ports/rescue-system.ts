/**
 * The rescue system of one server, as the provisioning core sees it: connect, look around, run
 * the image-url-command detached, watch it, stop it, reboot. Intent-level on purpose: callers
 * never see SSH, shell text or file paths, so no caller can build a shell string from user data.
 * The ssh2 adapter lives in src/rescue/; errors are RescueError (./rescue-errors.ts).
 */
export interface RescueSystem {
  /**
   * Opens a session as root, retrying refused/unreachable/timed-out/auth-failed tries with
   * backoff until `deadlineMs`. A host key other than `pinnedHostKey`, or none of
   * `expectedHostKeys`, fails at once with `SSH_HOST_KEY_MISMATCH` (no retry): the pin holds for
   * the whole provisioning attempt.
   */
  connect(target: RescueTarget): Promise<RescueSession>;
}

export interface RescueTarget {
  readonly host: string;
  readonly port: number;
  /** OpenSSH private key whose public key the rescue system accepts for root. */
  readonly privateKey: string;
  /**
   * `SHA256:…` of the host key seen on the first connection of this attempt (trust on first
   * use per rescue boot). Omit it only for that first connection, and pin the returned
   * `hostKeyFingerprint` only after `hostname()` answered `rescue`.
   */
  readonly pinnedHostKey?: string;
  /**
   * Fingerprints (`SHA256:…` or `MD5:aa:bb:…`) of the host keys a party other than the server
   * vouched for (Robot's rescue activation answer): the presented key must be one of them, or
   * the connection fails at once with `SSH_HOST_KEY_MISMATCH`, before authenticating. Omit it
   * when nobody vouched for a key (trust on first use); never pass an empty list.
   */
  readonly expectedHostKeys?: readonly string[];
  /** Overall budget for connecting, retries included; default 30 s. */
  readonly deadlineMs?: number;
  /**
   * Values to redact from every string the session returns (logs, messages, errors). The
   * registry token given to startImageUrlCommand is added automatically; pass it here again
   * when reconnecting to observe a command started earlier.
   */
  readonly secrets?: readonly string[];
}

export interface RescueSession {
  /** The host key this session was made with, `SHA256:…`, for pinning. */
  readonly hostKeyFingerprint: string;
  /** The system's hostname (`rescue` on Hetzner's rescue system). */
  hostname(): Promise<string>;
  /** Whole disks as lsblk reports them, in lsblk order, so callers can resolve root devices. */
  disks(): Promise<readonly RescueDisk[]>;
  /**
   * Uploads the command and bootstrap data and starts the command detached, once per attempt:
   * when this attempt's command already runs or ran here, nothing is uploaded or started and
   * `started` is false. Rejects invalid input with `RESCUE_INVALID_INPUT` before copying
   * anything, and a boot that already ran another attempt with `RESCUE_ATTEMPT_CONFLICT`.
   */
  startImageUrlCommand(input: StartImageUrlCommandInput): Promise<StartImageUrlCommandResult>;
  /** Reads the command's state, exit code, output tail and output.json message (all bounded). */
  observe(input: AttemptInput): Promise<ImageUrlCommandObservation>;
  /**
   * Ends the attempt's command: SIGTERM to its process group, SIGKILL after `graceMs`
   * (default 5 s). A stopped command counts as failed (`stopped`) whatever it printed.
   */
  stop(input: StopInput): Promise<ImageUrlCommandObservation>;
  /** Reboots the system and closes the session; the connection dropping counts as success. */
  reboot(): Promise<void>;
  close(): Promise<void>;
}

export interface RescueDisk {
  /** Kernel name, as the command expects it in its devices argument: `sda`, `nvme0n1`. */
  readonly name: string;
  readonly sizeBytes: number;
  readonly wwn?: string;
  readonly serial?: string;
  readonly model?: string;
}

export type CommandSource =
  /** A local file (below /shared in the controller), streamed to the server. */
  { readonly path: string } | { readonly bytes: Uint8Array };

export interface AttemptInput {
  /** Names one provisioning attempt: `[A-Za-z0-9][A-Za-z0-9._-]{0,62}`. */
  readonly attemptId: string;
}

export interface StartImageUrlCommandInput extends AttemptInput {
  readonly command: CommandSource;
  /** First argument, byte-exact. */
  readonly imageUrl: string;
  /** Written to `/root/bootstrap.data` (0600); the second argument is that path. */
  readonly bootstrapData: string | Uint8Array;
  /** Third argument, byte-exact. */
  readonly machineName: string;
  /** Joined by single spaces into the fourth argument; each non-empty, without `/` or spaces. */
  readonly rootDevices: readonly string[];
  /** `OCI_REGISTRY_AUTH_TOKEN` of the command; set to empty when omitted, as CAPH does. */
  readonly registryToken?: string;
}

export interface StartImageUrlCommandResult {
  /** False when this attempt's command had already been started on this boot. */
  readonly started: boolean;
  readonly observation: ImageUrlCommandObservation;
}

export interface StopInput extends AttemptInput {
  readonly graceMs?: number;
}

export type ImageUrlCommandState = 'not-started' | 'running' | 'succeeded' | 'failed';

export type ImageUrlCommandFailureReason =
  /** The last output line does not contain IMAGE_URL_DONE (and no earlier line in the tail does). */
  | 'marker-missing'
  /** IMAGE_URL_DONE was printed, but a line (maybe an empty one) followed it. */
  | 'output-after-marker'
  /** stop() ended it. */
  | 'stopped'
  /** Its supervisor vanished without recording an exit status. */
  | 'exit-unknown'
  /** This boot ran another attempt's command; this attempt cannot run here. */
  | 'other-attempt';

export interface ImageUrlCommandObservation {
  readonly state: ImageUrlCommandState;
  /** The attempt whose command this boot runs or ran, if any. */
  readonly attemptId?: string;
  readonly failure?: { readonly reason: ImageUrlCommandFailureReason; readonly message: string };
  /** The command's exit status as a shell reports it (128+N when killed by signal N). */
  readonly exitCode?: number;
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  readonly log: CommandLogTail;
  readonly outputJson: OutputJsonReading;
}

export interface CommandLogTail {
  /** Size of the combined stdout+stderr log when it was read. */
  readonly sizeBytes: number;
  /** At most the last 64 KiB of the log, decoded as UTF-8, secrets redacted. */
  readonly tail: string;
  /** True when the log is longer than the tail. */
  readonly truncated: boolean;
}

/** `/root/output.json`, which a command may write; only its top-level string `message` counts. */
export type OutputJsonReading =
  | { readonly status: 'absent' }
  /** `message` is "" when the object has no string message; control characters stripped, capped. */
  | { readonly status: 'message'; readonly message: string }
  | { readonly status: 'unreadable'; readonly problem: string };
