import type { ResetType, RobotServer } from '../robot-account.js';
import { RobotErrorResponse } from '../robot-error-response.js';
import { renderReset } from '../robot-render.js';
import { ok, type RobotContext, type RobotRoute } from '../robot-route.js';

/**
 * What each reset type does to the machine (Robot docs, Reset): `sw` Ctrl+Alt+Del (a powered machine
 * restarts), `hw` the reset button, `power` the power button (ACPI off when on, on when off),
 * `power_long` forced off, `man` a technician's power cycle, slow, one at a time.
 */
function press(server: RobotServer, type: ResetType, context: RobotContext): void {
  const machine = server.machine;
  const later = (ms: number, run: () => void | Promise<void>): void =>
    context.scheduler.after(ms, run, context.onError);
  switch (type) {
    case 'sw':
      later(context.durations.resetServerMs, () => {
        if (machine.poweredOn) machine.reset();
      });
      return;
    case 'hw':
      later(context.durations.resetServerMs, () => machine.reset());
      return;
    case 'power':
      later(context.durations.resetServerMs, () =>
        machine.poweredOn ? void machine.acpi('poweroff') : machine.powerOn(),
      );
      return;
    case 'power_long':
      later(context.durations.resetServerMs, () => machine.powerOff());
      return;
    case 'man':
      server.manualResetPending = true;
      later(context.durations.manualResetMs, () => {
        server.manualResetPending = false;
        machine.reset();
      });
  }
}

export const resetRoutes: readonly RobotRoute[] = [
  {
    method: 'GET',
    path: '/reset',
    limit: 'reset-read',
    handler: ({ account }) => {
      const servers = [...account.servers.values()];
      if (servers.length === 0)
        throw new RobotErrorResponse(404, 'NOT_FOUND', 'No servers with reset option found');
      return ok(servers.map((server) => ({ reset: renderReset(server, server.resetTypes) })));
    },
  },
  {
    method: 'GET',
    path: '/reset/:id',
    limit: 'reset-read',
    handler: ({ account, params }) => {
      const server = account.server(params.id ?? '');
      const powerAware = server.resetTypes.includes('power');
      const operating = powerAware ? (server.machine.poweredOn ? 'running' : 'shut off') : 'not supported';
      return ok({ reset: { ...renderReset(server, server.resetTypes), operating_status: operating } });
    },
  },
  {
    method: 'POST',
    path: '/reset/:id',
    limit: 'reset-write',
    handler: (context) => {
      const server = context.account.server(context.params.id ?? '');
      const type = context.form.get('type');
      if (type === undefined) throw RobotErrorResponse.invalidInput(['type'], null);
      if (!(server.resetTypes as readonly string[]).includes(type))
        throw RobotErrorResponse.invalidInput(null, ['type']);
      if (server.manualResetPending)
        throw new RobotErrorResponse(409, 'RESET_MANUAL_ACTIVE', 'There is already a running manual reset');
      press(server, type as ResetType, context);
      return ok({ reset: renderReset(server, type) });
    },
  },
];
