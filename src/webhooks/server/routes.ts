/** Webhook paths, named as controller-runtime (and so CAPH's manifests) name them. */
import { GROUP, VERSION } from '../../../api/v1beta1/kind.js';
import type { KindAdmission } from '../kind-admission.js';

export type WebhookType = 'validate' | 'mutate';

/**
 * A kind the server admits. `validateDeletes` opts a kind's validator into DELETE requests,
 * which are otherwise allowed without calling it.
 */
export interface ServedKind extends KindAdmission {
  readonly validateDeletes?: boolean;
}

export interface Route {
  readonly type: WebhookType;
  readonly admission: ServedKind;
}

/** `/validate-infrastructure-cluster-x-k8s-io-v1beta1-hcloudmachine` for ('validate', 'HCloudMachine'). */
export function webhookPath(type: WebhookType, kind: string): string {
  return `/${type}-${GROUP.replaceAll('.', '-')}-${VERSION}-${kind.toLowerCase()}`;
}

/** `HCloudMachine.infrastructure.cluster.x-k8s.io`, as Kubernetes qualifies a kind in messages. */
export function qualifiedKind(kind: string): string {
  return `${kind}.${GROUP}`;
}

/** Path → route for every kind: a validate and a mutate path each. Two kinds with one path throw. */
export function buildRoutes(kinds: readonly ServedKind[]): ReadonlyMap<string, Route> {
  const routes = new Map<string, Route>();
  for (const admission of kinds) {
    for (const type of ['validate', 'mutate'] as const) {
      const path = webhookPath(type, admission.kind);
      const existing = routes.get(path);
      if (existing)
        throw new Error(
          `kinds ${existing.admission.kind} and ${admission.kind} both map to the path ${path}`,
        );
      routes.set(path, { type, admission });
    }
  }
  return routes;
}
