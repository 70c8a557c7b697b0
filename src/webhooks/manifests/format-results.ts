import type { ManifestResult } from './validate-manifests.js';

export interface ValidationReport {
  /** Lines for standard output: one per problem. */
  readonly stdout: string;
  /** Notes for standard error: skipped documents and the summary. */
  readonly stderr: string;
}

/** `file:line kind/name field: message` (`file:line items[i] kind/name …` in a List), one line per problem; notes and a summary on stderr. */
export function formatText(results: readonly ManifestResult[]): ValidationReport {
  const lines: string[] = [];
  const notes: string[] = [];
  for (const result of results) {
    const what = `${result.item === undefined ? '' : `${result.item} `}${result.kind || '?'}/${result.name}`;
    for (const problem of result.problems)
      lines.push(`${result.source}:${problem.line} ${what} ${problem.message}`);
    if (result.status === 'skipped')
      notes.push(
        `note: ${result.source}:${result.line} ${what} (${result.apiVersion}) skipped: ${result.note ?? ''}`,
      );
  }
  const count = (status: ManifestResult['status']): number =>
    results.filter((r) => r.status === status).length;
  const problems = results.reduce((sum, r) => sum + r.problems.length, 0);
  notes.push(
    `${results.length} object(s): ${count('valid')} valid, ${count('invalid')} invalid (${problems} problem(s)), ${count('skipped')} skipped`,
  );
  return {
    stdout: lines.map((line) => `${line}\n`).join(''),
    stderr: notes.map((line) => `${line}\n`).join(''),
  };
}

export function formatJson(results: readonly ManifestResult[]): ValidationReport {
  const documents = results.map((result) => ({
    source: result.source,
    document: result.index,
    ...(result.item === undefined ? {} : { item: result.item }),
    line: result.line,
    apiVersion: result.apiVersion,
    kind: result.kind,
    name: result.name,
    status: result.status,
    errors: result.problems.flatMap((problem) =>
      problem.fieldError === undefined ? [] : [{ ...problem.fieldError, line: problem.line }],
    ),
    messages:
      result.status === 'skipped' ? [result.note ?? ''] : result.problems.map((problem) => problem.message),
  }));
  const valid = results.length > 0 && results.every((result) => result.status !== 'invalid');
  return { stdout: `${JSON.stringify({ valid, documents }, null, 2)}\n`, stderr: '' };
}
