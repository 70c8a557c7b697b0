import { rescueAccess, type RescueAccess } from '../image-url/rescue-attempt.js';
import type { HostStepContext } from './step-context.js';

/**
 * How to reach this host's rescue system: its IPv4 (CAPH: `spec.status.ipv4`) as root with the
 * rescue key, pinned to the host key in status unless `unpinned` (registering takes the pin),
 * and always held to the host keys Robot's activation vouched for, when it gave any. Only rescue
 * keys: the installed OS's pin never applies here.
 */
export function hostRescueAccess(
  ctx: HostStepContext,
  options: { readonly unpinned?: boolean } = {},
): RescueAccess {
  const key = ctx.input.rescueKey;
  const pin = options.unpinned === true ? undefined : ctx.status.rescueHostKey;
  return rescueAccess({
    rescue: ctx.rescue,
    host: ctx.status.ipv4,
    hostSource: 'spec.status.ipv4',
    port: ctx.settings.rescuePort,
    privateKey: key.status === 'available' ? key.privateKey : undefined,
    deadlineMs: ctx.settings.rescueConnectDeadlineMs,
    registryToken: ctx.input.registryToken,
    imageUrl: ctx.input.request?.imageUrl ?? '',
    attemptPrefix: 'bm',
    serverId: ctx.input.serverId,
    ...(pin === undefined ? {} : { pinnedHostKey: pin }),
    ...(ctx.status.rescueHostKeysFromRobot === undefined
      ? {}
      : { expectedHostKeys: ctx.status.rescueHostKeysFromRobot }),
  });
}
