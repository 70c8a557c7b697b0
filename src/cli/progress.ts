const MiB = 1024 * 1024;

export interface ProgressReporter {
  readonly update: (done: number, total: number) => void;
  readonly done: () => void;
}

/**
 * Byte progress on stderr: one rewritten line on a terminal, a line every 5 seconds otherwise
 * (CI logs), with percentage and throughput.
 */
export function progressReporter(
  stream: NodeJS.WriteStream,
  label: string,
  now: () => number = Date.now,
): ProgressReporter {
  const started = now();
  const interactive = stream.isTTY;
  let last = 0;
  let line = '';
  const render = (done: number, total: number): string => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    return `${label}: ${percent}% (${(done / MiB).toFixed(1)} of ${(total / MiB).toFixed(1)} MiB, ${(done / MiB / seconds).toFixed(1)} MiB/s)`;
  };
  return {
    update: (done, total) => {
      if (now() - last < (interactive ? 200 : 5_000) && done < total) return;
      last = now();
      line = render(done, total);
      stream.write(interactive ? `\r${line}` : `${line}\n`);
    },
    done: () => {
      if (interactive && line !== '') stream.write('\n');
    },
  };
}
