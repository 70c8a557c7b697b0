import { GROUP } from '../../../api/v1beta1/kind.js';
import type { KindRef } from '../client/kinds.js';

/** Cluster API's label for running several instances of a provider (`WatchLabel`). */
export const WATCH_FILTER_LABEL = 'cluster.x-k8s.io/watch-filter';

/**
 * `--watch-filter VALUE` as Cluster API providers have it (predicates.ResourceHasFilterLabel):
 * only objects labelled `cluster.x-k8s.io/watch-filter=VALUE` are reconciled; no value, no
 * filter. Applied as a label selector on the informers of the provider's own kinds, so the others
 * are not even cached. Cluster API's Clusters and Machines stay unfiltered: they are read for
 * pause and ownership, and only lead to the (filtered) objects of our kinds.
 */
export function watchFilterSelector(
  value: string | undefined,
): ((kind: KindRef) => string | undefined) | undefined {
  if (!value) return undefined;
  const selector = `${WATCH_FILTER_LABEL}=${value}`;
  return (kind) => (kind.group === GROUP ? selector : undefined);
}
