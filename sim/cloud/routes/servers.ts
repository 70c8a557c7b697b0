import { CloudErrorResponse } from '../cloud-error-response.js';
import { jsonBody, labels, optionalString } from '../cloud-input.js';
import type { CloudRoute } from '../cloud-route.js';
import { serverOf } from '../cloud-route.js';
import { listResponse } from '../list-query.js';
import type { ServerRecord } from '../server-record.js';
import { createServer, hostnamePattern } from './server-create.js';

/** `/servers` and `/servers/{id}` (docs.hetzner.cloud). */
export const serverRoutes: readonly CloudRoute[] = [
  {
    method: 'GET',
    path: '/servers',
    handler: ({ project, lifecycle, url }) => {
      const list = listResponse(
        project.servers.values(),
        url.searchParams,
        {
          key: 'servers',
          sortFields: { id: (s) => s.id, name: (s) => s.name, created: (s) => s.created.getTime() },
          filters: { status: (s: ServerRecord, values) => values.includes(s.status) },
          render: (s) => lifecycle.render(s),
        },
        url,
      );
      return { status: 200, body: list.body, headers: { Link: list.link } };
    },
  },
  { method: 'POST', path: '/servers', handler: createServer },
  {
    method: 'GET',
    path: '/servers/:id',
    handler: (context) => ({ status: 200, body: { server: context.lifecycle.render(serverOf(context)) } }),
  },
  {
    method: 'PUT',
    path: '/servers/:id',
    handler: (context) => {
      const server = serverOf(context);
      const body = jsonBody(context.body);
      const name = optionalString(body, 'name');
      const newLabels = labels(body);
      if (name !== undefined) {
        if (!hostnamePattern.test(name))
          throw CloudErrorResponse.invalidField('name', 'must be a valid hostname');
        const taken = [...context.project.servers.values()].some(
          (s) => s.name === name && s.id !== server.id,
        );
        if (taken) throw CloudErrorResponse.uniqueness('name', 'server name is already used');
        server.name = name;
      }
      if (newLabels !== undefined) server.labels = newLabels;
      return { status: 200, body: { server: context.lifecycle.render(server) } };
    },
  },
  {
    method: 'DELETE',
    path: '/servers/:id',
    handler: (context) => {
      const action = context.lifecycle.delete(serverOf(context));
      return { status: 200, body: { action: context.project.actions.render(action) } };
    },
  },
];
