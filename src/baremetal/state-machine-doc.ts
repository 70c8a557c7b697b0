import { renderMachineDoc } from '../state-machine/index.js';
import { hostStateLabel, hostStateNode, hostStates } from './host-state.js';
import { hostReasonStrings } from './reasons.js';
import type { HostMachineTypes } from './step-context.js';
import { hostStateTable } from './states.js';

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
    reasonCell: (reason) => {
      const strings = hostReasonStrings(reason);
      return `\`${strings.v1beta1 ?? ''}\` / \`${strings.v1beta2}\``;
    },
  });
}
