import { renderMachineDoc } from '../state-machine/index.js';
import { bootStateLabel, bootStates, type BootState } from './boot-state.js';
import { reasonStrings } from './reasons.js';
import type { BootMachineTypes } from './step-context.js';
import { bootStateTable } from './states.js';

/** Mermaid needs an identifier for the unset state. */
function node(state: BootState): string {
  return state === '' ? 'Unset' : state;
}

/** What each state's handler does, for the doc's last column. */
const summaries: Readonly<Record<BootState, string>> = {
  '': 'imageURL: check the rescue key and the command, create the server powered off. imageName: find the image, create the server with the bootstrap data as user data, started.',
  Initializing: 'Wait for the create action, then enable the rescue system.',
  EnablingRescue: 'Wait for the enable-rescue action, then power the server on (reset it when running).',
  BootingToRescue:
    'Wait for SSH and hostname `rescue`, pin the host key, start the command once. At the timeout: re-arm rescue if the boot used it up and reset the server via EnablingRescue, with a fresh timeout, at most `rescueBootResets` (2) times per machine; then fail.',
  RunningImageCommand:
    'Poll the command; show output.json; success → event + next, failure → event + failed.',
  BootingToRealOS:
    "Reboot out of rescue (imageURL), wait until SSH answers with a host key that is not the rescue boot's (the rescue key again: InstalledOSNotBooted; silence past --installed-os-ssh-timeout: InstalledOSSilent; a port that kept refusing: the hcloud status, with a Warning event); then ready.",
  OperatingSystemRunning: 'Keep addresses and state current; a vanished server fails the machine.',
  ProvisioningFailed: 'Terminal: the owner Machine carries the remediation annotation.',
};

/**
 * docs/state-machine.md, generated from the table (a test fails when the file is stale; run
 * `UPDATE_STATE_MACHINE_DOC=1 node --import tsx --test src/provisioning/state-machine-doc.test.ts`).
 */
export function renderStateMachineDoc(): string {
  return renderMachineDoc<BootMachineTypes>({
    title: 'HCloudMachine boot state machine (imageURL and imageName flows)',
    generatedFrom: 'src/provisioning/states.ts by renderStateMachineDoc()',
    intro: [
      'Every state is one handler file; the engine’s dispatcher (`src/state-machine/dispatcher.ts`,',
      'driven by `src/provisioning/dispatcher.ts`) is the only writer of `status.bootState`. Timeouts',
      'count from `status.bootStateSince`, are checked before any call to Hetzner or SSH, and end in',
      '`ProvisioningFailed` with the state’s own reason.',
    ],
    states: bootStates,
    table: bootStateTable,
    initial: '',
    terminal: ['ProvisioningFailed'],
    node,
    label: bootStateLabel,
    summaries,
    reasonCell: (reason) => {
      const strings = reasonStrings(reason);
      return `\`${strings.v1beta1 ?? ''}\` / \`${strings.v1beta2}\``;
    },
  });
}
