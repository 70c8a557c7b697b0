import { CloudErrorResponse } from './cloud-error-response.js';

type Term =
  | { readonly op: 'eq'; readonly key: string; readonly value: string }
  | { readonly op: 'ne'; readonly key: string; readonly value: string }
  | { readonly op: 'exists'; readonly key: string }
  | { readonly op: 'absent'; readonly key: string }
  | { readonly op: 'in'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'notin'; readonly key: string; readonly values: readonly string[] };

export type LabelSelector = readonly Term[];
export type Labels = Readonly<Record<string, string>>;

const setTerm = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const compareTerm = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/;
const keyTerm = /^(!?)([^\s!=(),]+)$/;

/**
 * Parses the Cloud API's label selector (docs.hetzner.cloud, "Label Selector"): comma-joined terms, AND-ed;
 * commas inside `in (…)` lists belong to the list.
 */
export function parseLabelSelector(selector: string): LabelSelector {
  return splitTerms(selector).map((raw) => parseTerm(raw.trim()));
}

export function matchesSelector(labels: Labels, selector: LabelSelector): boolean {
  return selector.every((term) => matchesTerm(labels, term));
}

const matchers: {
  readonly [Op in Term['op']]: (value: string | undefined, term: Extract<Term, { op: Op }>) => boolean;
} = {
  eq: (value, term) => value === term.value,
  ne: (value, term) => value !== term.value,
  exists: (value) => value !== undefined,
  absent: (value) => value === undefined,
  in: (value, term) => value !== undefined && term.values.includes(value),
  notin: (value, term) => value === undefined || !term.values.includes(value),
};

function matchesTerm(labels: Labels, term: Term): boolean {
  const value = Object.hasOwn(labels, term.key) ? labels[term.key] : undefined;
  return (matchers[term.op] as (value: string | undefined, term: Term) => boolean)(value, term);
}

function parseTerm(raw: string): Term {
  const term = setTermOf(raw) ?? compareTermOf(raw) ?? keyTermOf(raw);
  if (term !== undefined) return term;
  throw CloudErrorResponse.invalidInput(`invalid label_selector term ${JSON.stringify(raw.slice(0, 80))}`, [
    { name: 'label_selector', messages: ['invalid label selector'] },
  ]);
}

function setTermOf(raw: string): Term | undefined {
  const [, key = '', op, list = ''] = setTerm.exec(raw) ?? [];
  if (op === undefined) return undefined;
  return { op: op === 'in' ? 'in' : 'notin', key, values: list.split(',').map((v) => v.trim()) };
}

function compareTermOf(raw: string): Term | undefined {
  const [, key = '', op, value = ''] = compareTerm.exec(raw) ?? [];
  if (op === undefined) return undefined;
  return { op: op === '!=' ? 'ne' : 'eq', key, value };
}

function keyTermOf(raw: string): Term | undefined {
  const [, bang, key] = keyTerm.exec(raw) ?? [];
  if (key === undefined) return undefined;
  return { op: bang === '!' ? 'absent' : 'exists', key };
}

function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += char;
  }
  terms.push(current);
  return terms.filter((term) => term.trim() !== '');
}
