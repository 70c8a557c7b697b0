import { locations, renderLocation, renderServerType, serverTypes } from '../catalog.js';
import { CloudErrorResponse } from '../cloud-error-response.js';
import type { CloudRoute } from '../cloud-route.js';
import { listResponse, type ListSpec, type Listable } from '../list-query.js';

function listAndGet<T extends Listable>(
  path: string,
  singular: string,
  items: readonly T[],
  spec: ListSpec<T>,
): CloudRoute[] {
  return [
    {
      method: 'GET',
      path,
      handler: ({ url }) => {
        const list = listResponse(items, url.searchParams, spec, url);
        return { status: 200, body: list.body, headers: { Link: list.link } };
      },
    },
    {
      method: 'GET',
      path: `${path}/:id`,
      handler: ({ params }) => {
        const item = items.find((candidate) => String(candidate.id) === params.id);
        if (item === undefined) throw CloudErrorResponse.notFound(singular.replace('_', ' '));
        return { status: 200, body: { [singular]: spec.render(item) } };
      },
    },
  ];
}

/** The read-only catalogue: `/server_types`, `/locations` (images: images.ts). */
export const catalogRoutes: readonly CloudRoute[] = [
  ...listAndGet('/server_types', 'server_type', serverTypes, {
    key: 'server_types',
    sortFields: { id: (t) => t.id, name: (t) => t.name },
    render: renderServerType,
  }),
  ...listAndGet('/locations', 'location', locations, {
    key: 'locations',
    sortFields: { id: (l) => l.id, name: (l) => l.name },
    render: renderLocation,
  }),
];
