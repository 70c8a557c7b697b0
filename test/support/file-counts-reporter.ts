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

export default async function* fileCountsReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string> {
  const counts = new Map<string, FileCounts>();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const file = event.data?.file;
    if (file === undefined || event.data?.details?.type === 'suite') continue;
    const entry = counts.get(file) ?? { passed: 0, failed: 0, skipped: 0 };
    counts.set(file, entry);
    // The runner reports a file that produced no test result as one test named after the file:
    // it passes when the process exited 0. That is no test, so it counts for nothing here.
    if (event.type === 'test:pass' && resolve(event.data?.name ?? '') === file) continue;
    if (event.data?.skip !== undefined && event.data.skip !== false) entry.skipped += 1;
    else if (event.type === 'test:pass') entry.passed += 1;
    else entry.failed += 1;
  }
  for (const [file, entry] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    yield `${entry.passed}\t${entry.failed}\t${entry.skipped}\t${file}\n`;
  }
}
