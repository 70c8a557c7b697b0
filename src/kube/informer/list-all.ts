import type { KindRef } from '../client/kinds.js';
import type { KubeClient, ListOptions } from '../client/kube-client.js';
import type { KubeObject } from '../client/objects.js';

/**
 * Every object, page by page (`limit`/`continue`), as one consistent snapshot: the pages share
 * the first page's resourceVersion, which the watch then starts from. An expired continue
 * token fails with KUBE_GONE and the caller lists again.
 */
export async function listAll(
  client: KubeClient,
  kind: KindRef,
  options: Omit<ListOptions, 'limit' | 'continue'> & { readonly pageSize: number },
): Promise<{ items: KubeObject[]; resourceVersion: string }> {
  const { pageSize, ...selection } = options;
  const items: KubeObject[] = [];
  let next: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const page = await client.list(kind, {
      ...selection,
      limit: pageSize,
      ...(next ? { continue: next } : {}),
    });
    items.push(...page.items);
    next = page.metadata.continue;
    resourceVersion ??= page.metadata.resourceVersion;
  } while (next);
  return { items, resourceVersion: resourceVersion ?? '' };
}
