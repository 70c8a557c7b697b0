/**
 * A `node --test` reporter that writes one line per test file: passed, failed, skipped and the
 * file. The runner's summary counts tests over the whole run only, so a file that stopped early
 * without failing (a stray `process.exit(0)`) would shrink the total without a trace; this table
 * makes two runs comparable file by file, and `scripts/test.sh` fails a file that ran no test.
 */
import { resolve } from 'node:path';

interface TestEvent {
  readonly type: string;
  readonly data?: {
    readonly name?: string;
    readonly file?: string;
    readonly skip?: unknown;
    readonly details?: { readonly type?: string };
  };
}

interface FileCounts {
  passed: number;
  failed: number;
  skipped: number;
}

type Outcome = keyof FileCounts | 'none';

function outcomeOf(type: string, data: NonNullable<TestEvent['data']>): Outcome {
  if (data.details?.type === 'suite') return 'none';
  const passed = type === 'test:pass';
  // The runner reports a file that produced no test result as one test named after the file:
  // it passes when the process exited 0. That is no test, so it counts for nothing here.
  if (passed && resolve(data.name ?? '') === data.file) return 'none';
  if (data.skip !== undefined && data.skip !== false) return 'skipped';
  return passed ? 'passed' : 'failed';
}

export default async function* fileCountsReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const counts = new Map<string, FileCounts>();
  for await (const event of source) {
    const data = event.data ?? {};
    const file = data.file;
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || file === undefined) continue;
    const entry = counts.get(file) ?? { passed: 0, failed: 0, skipped: 0 };
    counts.set(file, entry);
    const outcome = outcomeOf(event.type, data);
    if (outcome !== 'none') entry[outcome] += 1;
  }
  for (const [file, entry] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    yield `${entry.passed}\t${entry.failed}\t${entry.skipped}\t${file}\n`;
  }
}
