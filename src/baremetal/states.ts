import type { StateTable } from '../state-machine/index.js';
import { hostTimedOutReport } from './command-timeout.js';
import { handleDeprovisioning } from './handlers/deprovisioning.js';
import { handleEnsureProvisioned } from './handlers/ensure-provisioned.js';
import { handleImageInstalling } from './handlers/image-installing.js';
import { handleNone } from './handlers/none.js';
import { handlePreparing } from './handlers/preparing.js';
import { handleProvisioned } from './handlers/provisioned.js';
import { handleRegistering } from './handlers/registering.js';
import type { HostState } from './host-state.js';
import { hostTimeoutDefaults } from './settings.js';
import type { HostMachineTypes } from './step-context.js';

const release = 'deprovisioning';

/**
 * The HetznerBareMetalHost image-url flow (CAPH behaviour doc §5), as data. A `failed` result
 * keeps the state and marks the host with a fatal error (as CAPH does); the claiming machine is
 * then remediated, which releases the host, and every claimed state may move to deprovisioning.
 */
export const hostStateTable = {
  '': {
    summary: 'Available: wait for a machine to claim the host, then prepare it.',
    handler: handleNone,
    handlerFile: 'handlers/none.ts',
    next: ['preparing'],
  },
  preparing: {
    summary:
      'Read the addresses, store the rescue key in Robot, arm rescue with its fingerprint, reset (power/sw/hw).',
    handler: handlePreparing,
    handlerFile: 'handlers/preparing.ts',
    next: ['registering', release],
  },
  registering: {
    summary:
      'Wait for hostname `rescue` (hw reset if the reset did not take), pin the host key, read disks, check rootDeviceHints.',
    handler: handleRegistering,
    handlerFile: 'handlers/registering.ts',
    timeout: {
      defaultMs: hostTimeoutDefaults.registering,
      reason: { type: 'ProvisionSucceeded', reason: 'RebootTimedOut' },
      text: 'reaching the rescue system timed out',
    },
    next: ['image-installing', release],
  },
  'image-installing': {
    summary:
      'Start the command once with the root devices; poll it; success → event, next; failure → event, fatal.',
    handler: handleImageInstalling,
    handlerFile: 'handlers/image-installing.ts',
    timeout: {
      defaultMs: hostTimeoutDefaults.imageInstalling,
      reason: { type: 'ProvisionSucceeded', reason: 'ImageURLCommandTimedOut' },
      text: 'ImageURLCommand timed out',
      format: (elapsed) => `ImageURLCommand timed out after ${elapsed}. Deleting machine`,
      clock: { from: "the command's start", since: (ctx) => ctx.status.imageUrlCommandStartedAt },
      report: hostTimedOutReport,
    },
    next: ['ensure-provisioned', release],
  },
  'ensure-provisioned': {
    summary:
      'Name the server in Robot, reboot out of rescue (SSH, else Robot reset); wait for the OS to answer with the machine’s hostname.',
    handler: handleEnsureProvisioned,
    handlerFile: 'handlers/ensure-provisioned.ts',
    timeout: {
      defaultMs: hostTimeoutDefaults.ensureProvisioned,
      reason: { type: 'ProvisionSucceeded', reason: 'RebootTimedOut' },
      text: 'booting the installed operating system timed out',
    },
    next: ['provisioned', release],
  },
  provisioned: {
    summary: 'The machine runs on the host; nothing to do until it releases the host.',
    handler: handleProvisioned,
    handlerFile: 'handlers/provisioned.ts',
    next: [release],
  },
  deprovisioning: {
    summary:
      'Stop a leftover command, disarm rescue, name the server back, clear the claim’s status; available again.',
    handler: handleDeprovisioning,
    handlerFile: 'handlers/deprovisioning.ts',
    next: [''],
  },
} as const satisfies StateTable<HostMachineTypes>;

export function hostStateSpecOf(state: HostState): StateTable<HostMachineTypes>[HostState] {
  return hostStateTable[state];
}
