/**
 * A real OCI registry for tests and the demo: Debian's docker-registry (CNCF distribution 2.8)
 * on loopback, with htpasswd or token auth.
 */
export {
  startOciRegistry,
  type OciRegistry,
  type OciRegistryOptions,
  type OciTokenService,
} from './registry.js';
export type { OciAction, OciAuthMode, OciUser, ResolvedOciUser } from './users.js';
