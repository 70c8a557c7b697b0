import type { MachineTypes } from './step-result.js';
import type { StateSpec, StateTable } from './machine.js';

/** What a machine's generated doc says besides its table. */
export interface StateMachineDoc<M extends MachineTypes> {
  readonly title: string;
  /** `<file> by <function>()`: where the doc comes from, so nobody edits it by hand. */
  readonly generatedFrom: string;
  /** Lines between the header and the diagram. */
  readonly intro: readonly string[];
  /** Every state, in the order the flow passes them. */
  readonly states: readonly M['state'][];
  readonly table: StateTable<M>;
  readonly initial: M['state'];
  /** States that end the diagram (`--> [*]`). */
  readonly terminal: readonly M['state'][];
  /** A Mermaid identifier for a state (`''` and dashes do not work there). */
  readonly node: (state: M['state']) => string;
  /** How a state reads in the table; its handler is `handlers/<label in kebab case>.ts`. */
  readonly label: (state: M['state']) => string;
  /** One sentence per state: what its handler does. */
  readonly summaries: Readonly<Record<M['state'], string>>;
  /** The timeout reason's cell (the reason's strings in both CAPH versions). */
  readonly reasonCell: (reason: M['failure']) => string;
}

/**
 * A state-machine doc generated from its table: a Mermaid diagram of the allowed transitions
 * and one row per state. Tests keep each generated file current.
 */
export function renderMachineDoc<M extends MachineTypes>(doc: StateMachineDoc<M>): string {
  const lines = [
    `# ${doc.title}`,
    '',
    `<!-- Generated from ${doc.generatedFrom}; do not edit. -->`,
    '',
    ...doc.intro,
    '',
    '```mermaid',
    'stateDiagram-v2',
    `    [*] --> ${doc.node(doc.initial)}`,
  ];
  for (const state of doc.states) {
    for (const next of doc.table[state].next) lines.push(`    ${doc.node(state)} --> ${doc.node(next)}`);
  }
  for (const state of doc.terminal) lines.push(`    ${doc.node(state)} --> [*]`);
  lines.push('```', '');
  lines.push('| state | handler | timeout | timeout reason (v1beta1 / v1beta2) | next | what it does |');
  lines.push('|---|---|---|---|---|---|');
  for (const state of doc.states) lines.push(row(doc, doc.table[state], state));
  lines.push('');
  return lines.join('\n');
}

function row<M extends MachineTypes>(doc: StateMachineDoc<M>, spec: StateSpec<M>, state: M['state']): string {
  const timeout = spec.timeout;
  const from = timeout?.clock === undefined ? '' : ` from ${timeout.clock.from}`;
  const cells = [
    `\`${doc.label(state)}\``,
    `\`${handlerFileOf(doc.label(state))}\``,
    timeout ? `${timeout.defaultMs / 60_000} min${from}` : '—',
    timeout ? doc.reasonCell(timeout.reason) : '—',
    spec.next.map((next) => `\`${doc.label(next)}\``).join(', ') || '—',
    doc.summaries[state],
  ];
  return `| ${cells.join(' | ')} |`;
}

/** Handler files are named after their state: `BootingToRealOS` → `handlers/booting-to-real-os.ts`. */
export function handlerFileOf(label: string): string {
  const words = label
    .replace(/[()]/g, '')
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2');
  return `handlers/${words.toLowerCase()}.ts`;
}
