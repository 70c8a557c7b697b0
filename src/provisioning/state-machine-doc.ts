import { renderMachineDoc } from '../state-machine/index.js';
import { bootStateLabel, bootStates, type BootState } from './boot-state.js';
import { reasonStrings } from './reasons.js';
import type { BootMachineTypes } from './step-context.js';
import { bootStateTable } from './states.js';

/** Mermaid needs an identifier for the unset state. */
function node(state: BootState): string {
  return state === '' ? 'Unset' : state;
}

/**
 * docs/state-machine.md, generated from the table (a test fails when the file is stale; run
 * `UPDATE_STATE_MACHINE_DOC=1 node --import tsx --test src/provisioning/state-machine-doc.test.ts`).
 */
export function renderStateMachineDoc(): string {
  return renderMachineDoc<BootMachineTypes>({
    title: 'HCloudMachine boot state machine (image-url flow)',
    generatedFrom: 'src/provisioning/states.ts by renderStateMachineDoc()',
    intro: [
      'Every state is one handler file; the dispatcher (`src/provisioning/dispatcher.ts`) is the only',
      'writer of `status.bootState`. Timeouts count from `status.bootStateSince`, are checked before',
      'any call to Hetzner or SSH, and end in `ProvisioningFailed` with the state’s own reason.',
    ],
    states: bootStates,
    table: bootStateTable,
    initial: '',
    terminal: ['ProvisioningFailed'],
    node,
    label: bootStateLabel,
    reasonCell: (reason) => {
      const strings = reasonStrings(reason);
      return `\`${strings.v1beta1 ?? ''}\` / \`${strings.v1beta2}\``;
    },
  });
}
