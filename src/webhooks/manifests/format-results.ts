import type { ManifestResult } from './validate-manifests.js';

export interface ValidationReport {
  /** Lines for standard output: one per problem. */
  readonly stdout: string;
  /** Notes for standard error: skipped documents and the summary. */
  readonly stderr: string;
}

/** `file:doc kind/name field: message`, one line per problem; notes and a summary on stderr. */
export function formatText(results: readonly ManifestResult[]): ValidationReport {
  const lines: string[] = [];
  const notes: string[] = [];
  for (const result of results) {
    const where = `${result.source}:${result.index} ${result.kind || '?'}/${result.name}`;
    if (result.status === 'invalid') lines.push(...result.messages.map((message) => `${where} ${message}`));
    if (result.status === 'skipped')
      notes.push(`note: ${where} (${result.apiVersion}) skipped: ${result.messages.join('; ')}`);
  }
  const count = (status: ManifestResult['status']): number =>
    results.filter((r) => r.status === status).length;
  const problems = results.reduce((sum, r) => sum + (r.status === 'invalid' ? r.messages.length : 0), 0);
  notes.push(
    `${results.length} document(s): ${count('valid')} valid, ${count('invalid')} invalid (${problems} problem(s)), ${count('skipped')} skipped`,
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
    line: result.line,
    apiVersion: result.apiVersion,
    kind: result.kind,
    name: result.name,
    status: result.status,
    errors: result.fieldErrors.map((error) => ({ ...error })),
    messages: result.messages,
  }));
  const valid = results.every((result) => result.status !== 'invalid');
  return { stdout: `${JSON.stringify({ valid, documents }, null, 2)}\n`, stderr: '' };
}
