import { RobotErrorResponse } from '../robot-error-response.js';
import { renderServerFull, renderServerShort } from '../robot-render.js';
import { ok, type RobotRoute } from '../robot-route.js';

/** `/server` and `/server/{n}` (Robot docs): an account without servers answers 404, not `[]`. */
export const serverRoutes: readonly RobotRoute[] = [
  {
    method: 'GET',
    path: '/server',
    limit: 'server',
    handler: ({ account }) => {
      const servers = [...account.servers.values()];
      if (servers.length === 0) throw new RobotErrorResponse(404, 'SERVER_NOT_FOUND', 'No server found');
      return ok(servers.map((server) => ({ server: renderServerShort(server) })));
    },
  },
  {
    method: 'GET',
    path: '/server/:id',
    limit: 'server',
    handler: ({ account, params }) => ok({ server: renderServerFull(account.server(params.id ?? '')) }),
  },
  {
    method: 'POST',
    path: '/server/:id',
    limit: 'server',
    handler: ({ account, params, form }) => {
      const server = account.server(params.id ?? '');
      const name = form.get('server_name');
      if (name === undefined) throw RobotErrorResponse.invalidInput(['server_name'], null);
      if (name.length > 100) throw RobotErrorResponse.invalidInput(null, ['server_name']);
      server.name = name;
      return ok({ server: renderServerFull(server) });
    },
  },
];
