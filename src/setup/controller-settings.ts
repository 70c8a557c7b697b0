import type { BareMetalSettingsOverrides } from '../baremetal/index.js';
import type { SettingsOverrides } from '../provisioning/index.js';
import type { ServedKind } from '../webhooks/server/index.js';

export interface ControllerSettings {
  /** Where imageURLCommand names are resolved (default /shared). */
  readonly commandsDir: string;
  /** Shown in the start-up line: the release and its commit. */
  readonly version?: string;
  /** Logged at start-up (flags accepted but ignored). */
  readonly warnings?: readonly string[];
  /** Workers per controller where they differ from --concurrency (CAPH's per-kind flags). */
  readonly concurrency?: Partial<
    Record<'hcloudMachine' | 'hetznerCluster' | 'hetznerBareMetalMachine' | 'hetznerBareMetalHost', number>
  >;
  /** The Hetzner Cloud API (default the real one). */
  readonly hcloudEndpoint?: string;
  /** The Robot webservice (default the real one). */
  readonly robotEndpoint?: string;
  /** OCI_REGISTRY_AUTH_TOKEN of this process, handed to the commands. */
  readonly registryToken?: string;
  /**
   * The registry hosts (`host` or `host:port`) the token is for: a command whose imageURL names
   * another host gets no token. Absent: every command gets it, as with CAPH.
   */
  readonly registryTokenHosts?: readonly string[];
  readonly provisioning?: SettingsOverrides;
  /** Bare-metal host settings (`timeoutsMs['image-installing']`: the same command timeout). */
  readonly bareMetal?: BareMetalSettingsOverrides;
  /** Serve the admission webhooks in this process too (as `imageurl webhook` does). */
  readonly webhook?: ControllerWebhook;
}

export interface ControllerWebhook {
  /** Folder with tls.crt and tls.key (reloaded when they change). */
  readonly certDir: string;
  /** HTTPS port; 0 picks a free one. */
  readonly port: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  readonly kinds: readonly ServedKind[];
  /**
   * Whose writes count as the controller's (only they may change its bookkeeping annotations).
   * Absent: this process's own identity, asked from the apiserver at start-up.
   */
  readonly controllerUsername?: string;
}
