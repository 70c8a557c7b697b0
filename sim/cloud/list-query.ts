import { CloudErrorResponse } from './cloud-error-response.js';
import { matchesSelector, parseLabelSelector, type Labels } from './label-selector.js';

export interface Listable {
  readonly id: number;
  readonly name?: string;
  readonly labels?: Labels;
}

export interface ListSpec<T> {
  /** The response key, e.g. `servers`. */
  readonly key: string;
  /** Sort fields this endpoint allows, with how to read them. */
  readonly sortFields: Readonly<Record<string, (item: T) => string | number>>;
  /** Endpoint-specific filters (e.g. `status`, `architecture`), beyond `name` and `label_selector`. */
  readonly filters?: Readonly<Record<string, (item: T, values: readonly string[]) => boolean>>;
  readonly render: (item: T) => unknown;
}

export interface ListResult {
  readonly body: Record<string, unknown>;
  readonly link: string;
}

/**
 * A list endpoint as docs.hetzner.cloud describes them ("Pagination", "Sorting"): exact `name`,
 * `label_selector`, endpoint filters, repeatable `sort=field[:asc|:desc]`, `page`/`per_page` (max
 * 50), `meta.pagination` and `Link`.
 */
export function listResponse<T extends Listable>(
  items: Iterable<T>,
  query: URLSearchParams,
  spec: ListSpec<T>,
  url: URL,
): ListResult {
  let selected = [...items];
  const name = query.get('name');
  if (name !== null) selected = selected.filter((item) => item.name === name);
  const selector = query.get('label_selector');
  if (selector !== null) {
    const parsed = parseLabelSelector(selector);
    selected = selected.filter((item) => matchesSelector(item.labels ?? {}, parsed));
  }
  for (const [param, filter] of Object.entries(spec.filters ?? {})) {
    const values = query.getAll(param);
    if (values.length > 0) selected = selected.filter((item) => filter(item, values));
  }
  selected = sortItems(selected, query.getAll('sort'), spec.sortFields);
  const page = positiveInt(query.get('page'), 1, 'page');
  const perPage = Math.min(positiveInt(query.get('per_page'), 25, 'per_page'), 50);
  const lastPage = Math.max(1, Math.ceil(selected.length / perPage));
  const slice = selected.slice((page - 1) * perPage, page * perPage);
  const pagination = {
    page,
    per_page: perPage,
    previous_page: page > 1 ? page - 1 : null,
    next_page: page < lastPage ? page + 1 : null,
    last_page: lastPage,
    total_entries: selected.length,
  };
  return {
    body: { [spec.key]: slice.map(spec.render), meta: { pagination } },
    link: linkHeader(url, pagination),
  };
}

function sortItems<T>(items: T[], sorts: readonly string[], fields: ListSpec<T>['sortFields']): T[] {
  const keys = sorts.map((sort) => {
    const [field = '', direction = 'asc'] = sort.split(':');
    const read = fields[field];
    if (read === undefined || (direction !== 'asc' && direction !== 'desc'))
      throw CloudErrorResponse.invalidField(
        'sort',
        `allowed: ${Object.keys(fields).join(', ')} with optional :asc or :desc`,
      );
    return { read, sign: direction === 'asc' ? 1 : -1 };
  });
  return items.sort((a, b) => {
    for (const { read, sign } of keys) {
      const [x, y] = [read(a), read(b)];
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  });
}

function positiveInt(raw: string | null, fallback: number, field: string): number {
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1)
    throw CloudErrorResponse.invalidField(field, 'must be a positive integer');
  return value;
}

function linkHeader(
  url: URL,
  p: { page: number; previous_page: number | null; next_page: number | null; last_page: number },
): string {
  const at = (page: number): string => {
    const target = new URL(url.toString());
    target.searchParams.set('page', String(page));
    return target.toString();
  };
  const links: string[] = [];
  if (p.previous_page !== null) links.push(`<${at(p.previous_page)}>; rel="prev"`);
  if (p.next_page !== null) links.push(`<${at(p.next_page)}>; rel="next"`);
  links.push(`<${at(p.last_page)}>; rel="last"`);
  return links.join(', ');
}
