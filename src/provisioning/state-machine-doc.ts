import { bootStateLabel, bootStates, type BootState } from './boot-state.js';
import { reasonStrings } from './reasons.js';
import { bootStateTable } from './states.js';

/** Mermaid needs an identifier for the unset state. */
function node(state: BootState): string {
  return state === '' ? 'Unset' : state;
}

function minutes(ms: number): string {
  return `${ms / 60_000} min`;
}

/**
 * docs/state-machine.md, generated from the table (a test fails when the file is stale; run
 * `UPDATE_STATE_MACHINE_DOC=1 node --import tsx --test src/provisioning/state-machine-doc.test.ts`).
 */
export function renderStateMachineDoc(): string {
  const lines = [
    '# HCloudMachine boot state machine (image-url flow)',
    '',
    '<!-- Generated from src/provisioning/states.ts by renderStateMachineDoc(); do not edit. -->',
    '',
    'Every state is one handler file; the dispatcher (`src/provisioning/dispatcher.ts`) is the only',
    'writer of `status.bootState`. Timeouts count from `status.bootStateSince`, are checked before',
    'any call to Hetzner or SSH, and end in `ProvisioningFailed` with the state’s own reason.',
    '',
    '```mermaid',
    'stateDiagram-v2',
    `    [*] --> ${node('')}`,
  ];
  for (const state of bootStates) {
    for (const next of bootStateTable[state].next) lines.push(`    ${node(state)} --> ${node(next)}`);
  }
  lines.push(`    ${node('ProvisioningFailed')} --> [*]`, '```', '');
  lines.push('| state | handler | timeout | timeout reason (v1beta1 / v1beta2) | next | what it does |');
  lines.push('|---|---|---|---|---|---|');
  for (const state of bootStates) lines.push(row(state));
  lines.push('');
  return lines.join('\n');
}

function row(state: BootState): string {
  const spec = bootStateTable[state];
  const timeout = 'timeout' in spec ? spec.timeout : undefined;
  const strings = timeout ? reasonStrings(timeout.reason) : undefined;
  const cells = [
    `\`${bootStateLabel(state)}\``,
    `\`${spec.handlerFile}\``,
    timeout ? minutes(timeout.defaultMs) : '—',
    strings ? `\`${strings.v1beta1 ?? ''}\` / \`${strings.v1beta2}\`` : '—',
    spec.next.map((next) => `\`${next}\``).join(', ') || '—',
    spec.summary,
  ];
  return `| ${cells.join(' | ')} |`;
}
