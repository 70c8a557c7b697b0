import { fieldError, type FieldError } from '../field-errors.js';
import { isRecord } from '../object-fields.js';
import { labelKeyProblems, labelValueProblems } from './label-syntax.js';

/** The operators of apimachinery's label selector requirements (selection.Operator). */
const OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt', 'exists', '!'] as const;
type Operator = (typeof OPERATORS)[number];

/** A HetznerBareMetalMachine host selector, checked as CAPH checks it (labels.NewRequirement). */
export function validateHostSelector(path: string, selector: unknown): FieldError[] {
  if (!isRecord(selector)) return [];
  return [
    ...matchLabelErrors(`${path}.matchLabels`, selector['matchLabels']),
    ...expressionErrors(`${path}.matchExpressions`, selector['matchExpressions']),
  ];
}

function matchLabelErrors(path: string, labels: unknown): FieldError[] {
  if (!isRecord(labels)) return [];
  return Object.entries(labels).flatMap(([key, value]) => {
    const problems = [
      ...labelKeyProblems(key),
      ...labelValueProblems(typeof value === 'string' ? value : ''),
    ];
    return problems.length > 0
      ? [fieldError.invalid(path, { [key]: value }, `invalid match label: ${problems.join('; ')}`)]
      : [];
  });
}

function expressionErrors(path: string, expressions: unknown): FieldError[] {
  if (!Array.isArray(expressions)) return [];
  return expressions.flatMap((expression: unknown, index) => {
    if (!isRecord(expression))
      return [fieldError.invalid(`${path}[${index}]`, expression, 'must be an object')];
    const problem = requirementProblem(expression);
    return problem === undefined
      ? []
      : [fieldError.invalid(`${path}[${index}]`, expression, `invalid match expression: ${problem}`)];
  });
}

function requirementProblem(expression: Record<string, unknown>): string | undefined {
  const key = typeof expression['key'] === 'string' ? expression['key'] : '';
  const keyProblems = labelKeyProblems(key);
  if (keyProblems.length > 0) return `key: Invalid value: ${JSON.stringify(key)}: ${keyProblems.join('; ')}`;
  // CAPH lower-cases the operator first, so `In` and `in` are the same.
  const operator = typeof expression['operator'] === 'string' ? expression['operator'].toLowerCase() : '';
  if (!(OPERATORS as readonly string[]).includes(operator)) {
    const supported = OPERATORS.map((o) => `"${o}"`).join(', ');
    return `operator: Unsupported value: ${JSON.stringify(operator)}: supported values: ${supported}`;
  }
  const values = Array.isArray(expression['values']) ? expression['values'].map(String) : [];
  return valuesProblem(operator as Operator, values);
}

/** How many values each operator takes (apimachinery's labels.NewRequirement). */
const VALUE_RULES: readonly {
  operators: readonly Operator[];
  accepts: (values: string[]) => boolean;
  problem: string;
}[] = [
  {
    operators: ['in', 'notin'],
    accepts: (v) => v.length > 0,
    problem: "for 'in', 'notin' operators, values set can't be empty",
  },
  {
    operators: ['=', '==', '!='],
    accepts: (v) => v.length === 1,
    problem: "for '=', '==', '!=' operators, exactly one value is required",
  },
  {
    operators: ['exists', '!'],
    accepts: (v) => v.length === 0,
    problem: 'values set must be empty for exists and does not exist',
  },
  {
    operators: ['gt', 'lt'],
    accepts: (v) => v.length === 1 && /^-?\d+$/.test(v[0] ?? ''),
    problem: "for 'Gt', 'Lt' operators, exactly one integer value is required",
  },
];

function valuesProblem(operator: Operator, values: string[]): string | undefined {
  const rule = VALUE_RULES.find((candidate) => candidate.operators.includes(operator));
  if (rule && !rule.accepts(values))
    return `values: Invalid value: ${JSON.stringify(values)}: ${rule.problem}`;
  const bad = values.find((value) => labelValueProblems(value).length > 0);
  return bad === undefined
    ? undefined
    : `values: Invalid value: ${JSON.stringify(bad)}: ${labelValueProblems(bad).join('; ')}`;
}
