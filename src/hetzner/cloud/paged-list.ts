import { z } from 'zod';
import { CloudError } from '../../ports/cloud-errors.js';
import type { HcloudTransport } from './hcloud-transport.js';
import { parseAnswer } from './wire-mapping.js';

const PER_PAGE = 50;
/** A guard against a pagination that never ends; far beyond any real project. */
const MAX_PAGES = 50;

const paginationSchema = z.object({
  meta: z.object({ pagination: z.object({ next_page: z.number().nullish() }).nullish() }).nullish(),
});

export interface PagedList<T> {
  readonly operation: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The page's schema; `items` picks the list out of it. */
  readonly page: z.ZodType<T>;
  readonly items: (page: T) => readonly unknown[];
  /** Set when the pages are a status look (see HcloudRequest.lookKey). */
  readonly lookKey?: string;
}

/** Every page of a list endpoint (docs.hetzner.cloud, "Pagination"), items in the API's order. */
export async function listAllPages<T, I>(transport: HcloudTransport, list: PagedList<T>): Promise<I[]> {
  const items: I[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const body = await transport.request({
      operation: list.operation,
      method: 'GET',
      path: list.path,
      query: { ...list.query, page: String(page), per_page: String(PER_PAGE) },
      ...(list.lookKey === undefined ? {} : { lookKey: list.lookKey }),
    });
    const answer = parseAnswer(list.page, body, list.operation);
    items.push(...(list.items(answer) as I[]));
    const next = parseAnswer(paginationSchema, body, list.operation).meta?.pagination?.next_page;
    if (next === undefined || next === null || next <= page) return items;
  }
  throw new CloudError('unknown', `hcloud ${list.operation}: more than ${MAX_PAGES} pages`);
}
