import type { KnownSecrets } from '../../util/known-secrets.js';
import type { BareMetalSettingsOverrides, HostTransition } from '../../baremetal/index.js';
import type { KubeClient } from '../../kube/index.js';
import type { Clock } from '../../ports/clock.js';
import type { RescueSystem } from '../../ports/rescue-system.js';
import type { RobotServers } from '../../ports/robot-servers.js';
import type { CommandResolver } from '../../ports/command-resolver.js';

/** CAPH's HetznerBareMetalHost finalizer. */
export const FINALIZER = 'infrastructure.cluster.x-k8s.io/hetznerbaremetalhost';
/** The core's bookkeeping CAPH's CRD has no field for (JSON), like the HCloudMachine's. */
export { HOST_STATE_ANNOTATION } from '../../../api/v1beta1/annotations.js';
/** On the Cluster or the HetznerBareMetalMachine: name the host `bm-<cluster>-<serverID>`. */
export const CONSTANT_HOSTNAME_ANNOTATION = 'capi.syself.com/constant-bare-metal-hostname';

export { bareMetalHosts, bareMetalMachines, hetznerClusters } from '../shared/kinds.js';

export type {
  BareMetalHostObject,
  BareMetalMachineObject,
  HetznerClusterObject,
  SecretObject,
} from '../shared/objects.js';

/** What the HetznerBareMetalHost reconciler is built from (injected by the composition root). */
export interface BareMetalHostDeps {
  readonly client: KubeClient;
  /**
   * The RobotServers port of one Robot account; the caller keeps one client per account for the
   * life of the process (its request budget and 401 guard are per account).
   */
  readonly robotFor: (user: string, password: string) => RobotServers;
  readonly rescue: RescueSystem;
  readonly commands: CommandResolver;
  readonly clock: Clock;
  /** OCI_REGISTRY_AUTH_TOKEN of the controller process. */
  readonly registryToken?: string;
  /**
   * The registry hosts (`host` or `host:port`) the token is for: a command whose imageURL names
   * another host gets no token. Absent: every command gets it, as with CAPH.
   */
  readonly registryTokenHosts?: readonly string[];
  /** Told every Secret value read, for the process's redactor (a private one when absent). */
  readonly knownSecrets?: KnownSecrets;
  /** `timeoutsMs['image-installing']` is the command timeout (--image-url-command-timeout). */
  readonly settings?: BareMetalSettingsOverrides;
  /** Told every provisioningState change once (after the controller's own metrics). */
  readonly onTransition?: (transition: HostTransition) => void;
}
