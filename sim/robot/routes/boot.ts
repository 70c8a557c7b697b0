import { generateSshKeyPair } from '../../host/ssh-keys.js';
import { rescuePassword, type RescueRecord, type RobotServer } from '../robot-account.js';
import { RobotErrorResponse } from '../robot-error-response.js';
import { renderRescue } from '../robot-render.js';
import { ok, type RobotContext, type RobotRoute } from '../robot-route.js';

const rescueSystems = ['linux', 'vkvm'] as const;

function serverOf(context: RobotContext): RobotServer {
  return context.account.server(context.params.id ?? '');
}

/**
 * Activates rescue for the next boot only (Robot docs, Boot configuration); it lapses unused after
 * the configured time.
 */
function activate(context: RobotContext): Record<string, unknown> {
  const server = serverOf(context);
  const os = context.form.get('os');
  if (os === undefined) throw RobotErrorResponse.invalidInput(['os'], null);
  const arch = Number(context.form.get('arch') ?? '64');
  if (!(rescueSystems as readonly string[]).includes(os) || arch !== 64)
    throw RobotErrorResponse.invalidInput(null, [
      ...(arch === 64 ? [] : ['arch']),
      ...(rescueSystems.includes(os as 'linux') ? [] : ['os']),
    ]);
  if (server.rescue !== undefined)
    throw new RobotErrorResponse(409, 'BOOT_ALREADY_ENABLED', 'Boot configuration already enabled');
  const keys = context.form.all('authorized_key').map((fingerprint) => {
    const key = context.account.keys.get(fingerprint);
    if (key === undefined) throw RobotErrorResponse.invalidInput(null, ['authorized_key']);
    return key;
  });
  // The password comes back even when keys are given (hrobot-go fixture).
  const record: RescueRecord = {
    os,
    arch,
    password: rescuePassword(),
    keys,
    // Published, the key must be decided now: the system that boots later presents it.
    ...(context.publishRescueHostKeys ? { hostKey: generateSshKeyPair('rescue-host') } : {}),
  };
  server.rescue = record;
  server.lastRescue = record;
  const activation = {
    authorizedKeys: keys.map((key) => key.data),
    password: record.password,
    ...(record.hostKey === undefined ? {} : { hostKey: record.hostKey }),
  };
  server.machine.activateRescue(activation);
  context.scheduler.after(
    context.durations.rescueLapseMs,
    () => {
      if (server.rescue !== record) return;
      server.rescue = undefined;
      server.machine.deactivateRescue(activation);
    },
    context.onError,
  );
  return { rescue: renderRescue(server) };
}

/** `/boot/{n}` and `/boot/{n}/rescue[/last]` (Robot docs). */
export const bootRoutes: readonly RobotRoute[] = [
  {
    method: 'GET',
    path: '/boot/:id',
    limit: 'boot',
    handler: (context) => {
      const server = serverOf(context);
      const inactive = {
        server_ip: server.machine.host.address,
        server_ipv6_net: server.ipv6Net,
        server_number: server.number,
        active: false,
        password: null,
      };
      return ok({
        boot: {
          rescue: renderRescue(server),
          linux: {
            ...inactive,
            dist: ['Debian 13 base'],
            arch: [64],
            lang: ['en'],
            authorized_key: [],
            host_key: [],
          },
          vnc: { ...inactive, dist: ['Debian 13 base'], arch: [64], lang: ['en_US'] },
          windows: null,
          plesk: null,
          cpanel: null,
        },
      });
    },
  },
  {
    method: 'GET',
    path: '/boot/:id/rescue',
    limit: 'boot',
    handler: (context) => ok({ rescue: renderRescue(serverOf(context)) }),
  },
  { method: 'POST', path: '/boot/:id/rescue', limit: 'boot', handler: (context) => ok(activate(context)) },
  {
    method: 'DELETE',
    path: '/boot/:id/rescue',
    limit: 'boot',
    handler: (context) => {
      // Deactivating an inactive configuration succeeds too (CAPH deletes before every activation).
      const server = serverOf(context);
      server.rescue = undefined;
      server.machine.deactivateRescue();
      return ok({ rescue: renderRescue(server) });
    },
  },
  {
    method: 'GET',
    path: '/boot/:id/rescue/last',
    limit: 'boot',
    handler: (context) => {
      const server = serverOf(context);
      if (server.lastRescue === undefined)
        throw new RobotErrorResponse(404, 'NOT_FOUND', 'No last boot configuration found');
      return ok({ rescue: renderRescue(server, server.lastRescue) });
    },
  },
];
