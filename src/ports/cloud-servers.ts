/**
 * The Hetzner Cloud servers of one project, as the provisioning core needs them: find images,
 * create a server, follow its actions, boot it into rescue, look at it, delete it. Every
 * method takes one input object and either resolves with typed values or rejects with a
 * CloudError (./cloud-errors.ts); no method retries `locked` (the caller decides when to come
 * back). The HTTP adapter lives in src/hetzner/; it may retry what hcloud-go retries.
 */
export interface CloudServers {
  /**
   * Creates the server without automount; **powered off** unless `startAfterCreate` (so the
   * image-URL flow's first boot can go straight into rescue). A taken name rejects with
   * `uniqueness_error` (then `findServerByName` and adopt).
   */
  createServer(input: CreateServerInput): Promise<CreatedServer>;
  /**
   * The images (system images, snapshots, backups; not deprecated ones) a server of
   * `serverType` can start from, i.e. of its architecture, matching `name` and `labelSelector`
   * when given; every page. An unknown server type rejects with `not_found`.
   */
  listImages(input: ListImagesInput): Promise<ImageList>;
  /** One action, by id; an unknown id rejects with `not_found`. */
  getAction(input: ActionRef): Promise<CloudAction>;
  /**
   * Arms the rescue system (`linux64`) with these SSH keys for the next boot. It does not boot
   * the server: power it on (when off) or reset it (when running) afterwards.
   */
  enableRescue(input: EnableRescueInput): Promise<ActionRef>;
  /** Powers the server on; `locked` while another action runs on it. */
  powerOn(input: ServerRef): Promise<ActionRef>;
  /** Hard power cycle (the server boots again, into rescue when armed). */
  reset(input: ServerRef): Promise<ActionRef>;
  /** The server as it is now, or undefined when no server has this id. */
  getServer(input: ServerRef): Promise<CloudServer | undefined>;
  /** The server with exactly this name (names are unique per project), or undefined. */
  findServerByName(input: { readonly name: string }): Promise<CloudServer | undefined>;
  /** Deletes the server at once (no shutdown first); a missing server resolves `deleted: false`. */
  deleteServer(input: ServerRef): Promise<DeletedServer>;
  /**
   * Replaces the server's whole label set (`PUT /servers/{id}`: labels not sent are removed), so
   * send the labels it keeps too. Resolves with the server as it is afterwards.
   */
  setServerLabels(input: SetServerLabelsInput): Promise<CloudServer>;
}

/**
 * What remediation needs of a server: look at it and reboot it. Apart from CloudServers so the
 * provisioning core, which never reboots a running system, does not see it.
 */
export interface CloudServerReboots extends Pick<CloudServers, 'getServer'> {
  /**
   * ACPI reboot (`reboot`): the operating system shuts down and starts again, as CAPH's
   * remediation does; `locked` while another action runs on the server.
   */
  reboot(input: ServerRef): Promise<ActionRef>;
}

export interface ServerRef {
  readonly serverId: number;
}

export interface SetServerLabelsInput extends ServerRef {
  readonly labels: Readonly<Record<string, string>>;
}

export interface ActionRef {
  readonly actionId: number;
}

export interface CreateServerInput {
  /** The server name (= the HCloudMachine's name); unique per project. */
  readonly name: string;
  /** Server type name, e.g. `cpx22`. */
  readonly serverType: string;
  /**
   * The image the disk starts with: a name (the adapter picks the image of that name for the
   * server type's architecture) or an image id (from `listImages`).
   */
  readonly image: string | number;
  /** Location name, e.g. `fsn1`; the API picks one when omitted. */
  readonly location?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Names of Hetzner Cloud SSH keys; the adapter resolves them to ids. */
  readonly sshKeys: readonly string[];
  /** Both default to true, as in the API. */
  readonly publicNetwork?: { readonly enableIPv4: boolean; readonly enableIPv6: boolean };
  /** cloud-init user data (at most 32 KiB); none when absent. */
  readonly userData?: string;
  /** Boot the server right after it is created; default false. */
  readonly startAfterCreate?: boolean;
  /** The spread placement group to put it in; a full group rejects with `placement_error`. */
  readonly placementGroupId?: number;
  /** Private networks it is attached to at creation (the cluster's network). */
  readonly networkIds?: readonly number[];
}

export interface ListImagesInput {
  /** Only images this server type can use (its architecture). */
  readonly serverType: string;
  /** Exact image name (snapshots have none). */
  readonly name?: string;
  /** The API's label selector, e.g. `caph-image-name==node-v1`. */
  readonly labelSelector?: string;
}

export interface ImageList {
  /** The server type's architecture (`x86`, `arm`) the images were chosen for. */
  readonly architecture: string;
  readonly images: readonly CloudImage[];
}

export interface CloudImage {
  readonly id: number;
  /** System images have one; snapshots and backups only a description. */
  readonly name?: string;
  readonly description: string;
  /** `system`, `snapshot`, `backup`, `app`, … as the API reports it. */
  readonly type: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Servers from it are ready in seconds (system images), not minutes (snapshots). */
  readonly rapidDeploy: boolean;
}

export interface CreatedServer {
  readonly server: CloudServer;
  /** The `create_server` action; the server is usable once it succeeded. */
  readonly actionId: number;
}

export interface EnableRescueInput extends ServerRef {
  /** Names of the Hetzner Cloud SSH keys root may log in with. */
  readonly sshKeys: readonly string[];
}

export interface DeletedServer {
  /** False when there was no such server (deleting twice is not an error). */
  readonly deleted: boolean;
}

/** Server status as the API reports it. */
export type CloudServerStatus =
  | 'initializing'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'off'
  | 'deleting'
  | 'migrating'
  | 'rebuilding'
  | 'unknown';

export interface CloudServer {
  readonly id: number;
  readonly name: string;
  readonly status: CloudServerStatus;
  readonly labels: Readonly<Record<string, string>>;
  /** Public IPv4 address, if the server has one. */
  readonly publicIPv4?: string;
  /** Public IPv6 network as the API reports it, e.g. `2001:db8:1:2::/64`. */
  readonly publicIPv6Network?: string;
  /** True while rescue is armed for the next boot. */
  readonly rescueEnabled: boolean;
  /** Its addresses in private networks, one per attached network. */
  readonly privateNets?: readonly { readonly networkId: number; readonly ip: string }[];
}

export type CloudActionStatus = 'running' | 'success' | 'error';

export interface CloudAction {
  readonly id: number;
  /** The API's command name, e.g. `create_server`, `enable_rescue`. */
  readonly command: string;
  readonly status: CloudActionStatus;
  /** 0–100 as the API reports it (rises while it runs); absent when the API gave none. */
  readonly progress?: number;
  readonly started?: Date;
  /** Set once it ended. */
  readonly finished?: Date;
  /** Set when `status` is `error`. */
  readonly error?: { readonly code: string; readonly message: string };
}
