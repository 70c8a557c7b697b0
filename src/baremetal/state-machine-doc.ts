import { renderMachineDoc } from '../state-machine/index.js';
import { hostStateLabel, hostStateNode, hostStates, type HostState } from './host-state.js';
import { hostReasonStrings } from './reasons.js';
import type { HostMachineTypes } from './step-context.js';
import { hostStateTable } from './states.js';

/** What each state's handler does, for the doc's last column. */
const summaries: Readonly<Record<HostState, string>> = {
  '': 'Available: wait for a machine to claim the host, then prepare it.',
  preparing:
    'Read the addresses, store the rescue key in Robot, arm rescue with its fingerprint, reset (power/sw/hw).',
  registering:
    'Wait for hostname `rescue` (hw reset if the reset did not take), pin the host key, read disks, check rootDeviceHints. At the timeout: re-arm rescue and reset (sw, then hw) with a fresh timeout, at most `rescueBootResets` (2) times; then fatal.',
  'image-installing':
    'Start the command once with the root devices; poll it; success → event, next; failure → event, fatal.',
  'ensure-provisioned':
    'Name the server in Robot, reboot out of rescue (SSH, else Robot reset); wait for the OS to answer with the machine’s hostname.',
  provisioned: 'The machine runs on the host; nothing to do until it releases the host.',
  deprovisioning:
    'Stop a leftover command, disarm rescue, name the server back, clear the claim’s status; available again.',
};

/**
 * docs/baremetal-state-machine.md, generated from the table (a test fails when the file is
 * stale; run `UPDATE_STATE_MACHINE_DOC=1 node --import tsx --test src/baremetal/state-machine-doc.test.ts`).
 */
export function renderHostStateMachineDoc(): string {
  return renderMachineDoc<HostMachineTypes>({
    title: 'HetznerBareMetalHost provisioning state machine (image-url flow)',
    generatedFrom: 'src/baremetal/states.ts by renderHostStateMachineDoc()',
    intro: [
      'Every state is one handler file; the engine (`src/state-machine/`, driven by',
      '`src/baremetal/dispatcher.ts`) is the only writer of `spec.status.provisioningState`.',
      'Timeouts count from the state’s start, except the command’s, which counts from the',
      'command’s own start; they are checked before any call to Robot or SSH. A failure keeps',
      'the state and sets `errorType: fatal error` (or `permanent error`), so the claiming',
      'machine is remediated; a released or deleted host moves to `deprovisioning` from any',
      'claimed state and ends available (`(none)`).',
    ],
    states: hostStates,
    table: hostStateTable,
    initial: '',
    terminal: [],
    node: hostStateNode,
    label: hostStateLabel,
    summaries,
    reasonCell: (reason) => {
      const strings = hostReasonStrings(reason);
      return `\`${strings.v1beta1 ?? ''}\` / \`${strings.v1beta2}\``;
    },
  });
}
