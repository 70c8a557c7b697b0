import { RobotErrorResponse } from '../robot-error-response.js';
import { renderKey } from '../robot-render.js';
import { ok, type RobotRoute } from '../robot-route.js';

/** `/key` (Robot docs): no keys answers 404 `NOT_FOUND`; uniqueness is by key material. */
export const keyRoutes: readonly RobotRoute[] = [
  {
    method: 'GET',
    path: '/key',
    limit: 'key-read',
    handler: ({ account }) => {
      const keys = [...account.keys.values()];
      if (keys.length === 0) throw new RobotErrorResponse(404, 'NOT_FOUND', 'No keys found');
      return ok(keys.map((key) => ({ key: renderKey(key) })));
    },
  },
  {
    method: 'POST',
    path: '/key',
    limit: 'key-write',
    handler: ({ account, form }) => {
      const name = form.get('name');
      const data = form.get('data');
      const missing = [...(name ? [] : ['name']), ...(data ? [] : ['data'])];
      if (missing.length > 0 || name === undefined || data === undefined)
        throw RobotErrorResponse.invalidInput(missing, null);
      return ok({ key: renderKey(account.addKey(name, data)) }, 201);
    },
  },
  {
    method: 'GET',
    path: '/key/:fingerprint',
    limit: 'key-read',
    handler: ({ account, params }) => ok({ key: renderKey(account.key(params.fingerprint ?? '')) }),
  },
  {
    method: 'POST',
    path: '/key/:fingerprint',
    limit: 'key-write',
    handler: ({ account, params, form }) => {
      const key = account.key(params.fingerprint ?? '');
      const name = form.get('name');
      if (name === undefined) throw RobotErrorResponse.invalidInput(['name'], null);
      const renamed = { ...key, name };
      account.keys.set(key.fingerprint, renamed);
      return ok({ key: renderKey(renamed) });
    },
  },
  {
    method: 'DELETE',
    path: '/key/:fingerprint',
    limit: 'key-write',
    handler: ({ account, params }) => {
      account.keys.delete(account.key(params.fingerprint ?? '').fingerprint);
      return { status: 200, body: undefined };
    },
  },
];
