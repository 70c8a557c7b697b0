import type { HostSelector, HostSelectorRequirement } from '../../../api/v1beta1/index.js';

type Labels = Readonly<Record<string, string>>;
type Test = (labels: Labels) => boolean;

/** A host selector ready to test label sets, or why it cannot select anything. */
export type CompiledSelector =
  | { readonly kind: 'valid'; readonly matches: Test; readonly text: string }
  | { readonly kind: 'invalid'; readonly problem: string };

const has = (labels: Labels, key: string): boolean => Object.hasOwn(labels, key);

function integer(text: string | undefined): bigint | undefined {
  return text !== undefined && /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}

/** Gt/Lt: the label and the one value are integers (apimachinery's rule). */
function compare(key: string, value: string | undefined, sign: 1 | -1): Test {
  const bound = integer(value);
  return (labels) => {
    const actual = integer(labels[key]);
    if (actual === undefined || bound === undefined) return false;
    return sign === 1 ? actual > bound : actual < bound;
  };
}

/**
 * apimachinery's selection operators (lower-cased first, as CAPH does), plus the metav1
 * LabelSelector spelling `DoesNotExist`. NotIn and != also match hosts without the label.
 */
function testFor(requirement: HostSelectorRequirement): Test | undefined {
  const { key, values } = requirement;
  const tests: Record<string, Test> = {
    in: (labels) => has(labels, key) && values.includes(labels[key] ?? ''),
    notin: (labels) => !has(labels, key) || !values.includes(labels[key] ?? ''),
    exists: (labels) => has(labels, key),
    doesnotexist: (labels) => !has(labels, key),
    gt: compare(key, values[0], 1),
    lt: compare(key, values[0], -1),
  };
  const aliases: Record<string, string> = { '=': 'in', '==': 'in', '!=': 'notin', '!': 'doesnotexist' };
  const operator = requirement.operator.toLowerCase();
  return tests[aliases[operator] ?? operator];
}

const VALUE_COUNT: Readonly<Record<string, (count: number) => boolean>> = {
  in: (n) => n > 0,
  notin: (n) => n > 0,
  '=': (n) => n === 1,
  '==': (n) => n === 1,
  '!=': (n) => n === 1,
  exists: (n) => n === 0,
  doesnotexist: (n) => n === 0,
  '!': (n) => n === 0,
  gt: (n) => n === 1,
  lt: (n) => n === 1,
};

function requirementProblem(requirement: HostSelectorRequirement, index: number): string | undefined {
  const where = `spec.hostSelector.matchExpressions[${index}]`;
  if (requirement.key === '') return `${where}: the key is empty`;
  const operator = requirement.operator.toLowerCase();
  const accepts = VALUE_COUNT[operator];
  if (!accepts) return `${where}: unsupported operator ${JSON.stringify(requirement.operator)}`;
  if (!accepts(requirement.values.length)) {
    return `${where}: operator ${requirement.operator} does not take ${requirement.values.length} values`;
  }
  return undefined;
}

function describeRequirement(requirement: HostSelectorRequirement): string {
  const values = requirement.values.length > 0 ? ` (${requirement.values.join(',')})` : '';
  return `${requirement.key} ${requirement.operator}${values}`;
}

/**
 * Compiles `spec.hostSelector`: every matchLabels pair and every expression must hold. An empty
 * or absent selector selects every host (as in CAPH). Unlike CAPH, which silently drops an
 * invalid requirement (so the selector selects more hosts than written), an invalid requirement
 * makes the selector select nothing and says why.
 */
export function compileSelector(selector: HostSelector | undefined): CompiledSelector {
  const expressions = selector?.matchExpressions ?? [];
  const problem = expressions.map(requirementProblem).find((found) => found !== undefined);
  if (problem !== undefined) return { kind: 'invalid', problem };
  const labels = Object.entries(selector?.matchLabels ?? {});
  const tests: Test[] = [
    ...labels.map(
      ([key, value]): Test =>
        (candidate) =>
          candidate[key] === value,
    ),
    ...expressions.map((requirement) => testFor(requirement) ?? ((): boolean => false)),
  ];
  const parts = [...labels.map(([key, value]) => `${key}=${value}`), ...expressions.map(describeRequirement)];
  return {
    kind: 'valid',
    matches: (candidate) => tests.every((test) => test(candidate)),
    text: parts.length > 0 ? parts.join(', ') : 'everything',
  };
}
