import type { StateTable, StateTimeout, TimeoutReport } from '../state-machine/index.js';
import { hostTimedOutReport } from './command-timeout.js';
import { handleDeprovisioning } from './handlers/deprovisioning.js';
import { handleEnsureProvisioned } from './handlers/ensure-provisioned.js';
import { handleImageInstalling } from './handlers/image-installing.js';
import { handleNone } from './handlers/none.js';
import { handlePreparing } from './handlers/preparing.js';
import { handleProvisioned } from './handlers/provisioned.js';
import { handleRegistering } from './handlers/registering.js';
import type { HostState } from './host-state.js';
import { provisionReasons } from './reasons.js';
import { retryHostRescueBoot } from './rescue-boot-retry.js';
import { hostTimeoutDefaults } from './settings.js';
import type { HostMachineTypes } from './step-context.js';

/** The command timeout (7 min by default), counted from the command's own start (CAPH's never fires). */
const command = {
  defaultMs: hostTimeoutDefaults.imageInstalling,
  reason: provisionReasons.ImageURLCommandTimedOut,
  text: 'ImageURLCommand timed out',
  format: (elapsed) => `ImageURLCommand timed out after ${elapsed}. Deleting machine`,
  clock: { from: "the command's start", since: (ctx) => ctx.status.imageUrlCommandStartedAt },
} as const satisfies StateTimeout<HostMachineTypes>;

/** A rescue boot that does not answer in time is reset a few times (each a fresh limit) before this fails. */
const rescue: StateTimeout<HostMachineTypes> = {
  defaultMs: hostTimeoutDefaults.registering,
  reason: provisionReasons.RebootTimedOut,
  text: 'reaching the rescue system timed out',
  clock: { from: 'the state’s start or the last reset', since: (ctx) => ctx.status.rescueResetAt },
  retry: retryHostRescueBoot,
};
const os: StateTimeout<HostMachineTypes> = {
  defaultMs: hostTimeoutDefaults.ensureProvisioned,
  reason: provisionReasons.RebootTimedOut,
  text: 'booting the installed operating system timed out',
};
const release = 'deprovisioning';

/**
 * The HetznerBareMetalHost image-url flow as data (CAPH:
 * `pkg/services/baremetal/host/host.go`). A `failed` result keeps the state and marks the host
 * with a fatal error (as CAPH does); the claiming machine is then remediated, which releases
 * the host, and every claimed state may move to deprovisioning. Summaries: state-machine-doc.ts.
 */
// prettier-ignore
export const hostStateTable = {
  '':                   { handler: handleNone,                               next: ['preparing'] },
  preparing:            { handler: handlePreparing,                          next: ['registering', release] },
  registering:          { handler: handleRegistering,       timeout: rescue,  next: ['image-installing', release] },
  'image-installing':   { handler: handleImageInstalling,   timeout: command, next: ['ensure-provisioned', release] },
  'ensure-provisioned': { handler: handleEnsureProvisioned, timeout: os,      next: ['provisioned', release] },
  provisioned:          { handler: handleProvisioned,                        next: [release] },
  deprovisioning:       { handler: handleDeprovisioning,                     next: [''] },
} as const satisfies StateTable<HostMachineTypes>;

/** What a timed-out state reports besides its message: the command's output for its Warning event. */
export const hostTimeoutReports: Partial<Record<HostState, TimeoutReport<HostMachineTypes>>> = {
  'image-installing': hostTimedOutReport,
};

export function hostStateSpecOf(state: HostState): StateTable<HostMachineTypes>[HostState] {
  return hostStateTable[state];
}
