import { images, locations, renderImage, renderLocation, renderServerType, serverTypes } from '../catalog.js';
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

/** The read-only catalogue: `/images`, `/server_types`, `/locations`. */
export const catalogRoutes: readonly CloudRoute[] = [
  ...listAndGet('/images', 'image', images, {
    key: 'images',
    sortFields: { id: (i) => i.id, name: (i) => i.name, created: (i) => i.created },
    filters: {
      architecture: (i, values) => values.includes(i.architecture),
      type: (_i, values) => values.includes('system'),
      status: (_i, values) => values.includes('available'),
      // Only images bound to a server (backups) match; system images are bound to none.
      bound_to: () => false,
    },
    render: renderImage,
  }),
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
