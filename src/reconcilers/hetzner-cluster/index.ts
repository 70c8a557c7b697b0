/** The HetznerCluster reconciler: credentials, SSH keys and readiness (see README.md for the scope). */
export {
  addHetznerClusterController,
  SECRET_RECHECK_MS,
  type HetznerClusterControllerOptions,
} from './controller.js';
export { ConditionTypes } from './checks.js';
export type { SshKeyCheckTimings } from './ssh-key-check.js';
export { CLAIMED_SECRET_ANNOTATION } from './secret-claim.js';
export { FINALIZER, SECRET_FINALIZER, type HetznerClusterDeps } from './types.js';
export type { ClusterCloud } from './infra-types.js';
