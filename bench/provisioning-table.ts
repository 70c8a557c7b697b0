/** The provisioning bench's figures as a table on stdout (the JSON has every detail). */

interface Transition {
  readonly transition: string;
  readonly enabledBy: string;
  readonly timeInOldStateSeconds: number;
  readonly controllerAddedLatencySeconds: number;
}

interface Memory {
  readonly heapUsedMiB: number;
  readonly rssMiB: number;
}

export const row = (label: string, value: unknown, goal = ''): string =>
  `${label.padEnd(62)} ${String(value).padStart(10)}  ${goal}`;

const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');

export function printTable(figures: Record<string, unknown>): void {
  const one = figures.oneMachine as Record<string, unknown>;
  const many = figures.concurrent as Record<string, unknown>;
  const mem = figures.controllerMemory as Record<string, Memory>;
  const perMachine = Number(one.hcloudCallsPerMachine);
  const lines = [
    'provisioning bench (Cloud simulator, all action/boot durations 0; real kube-apiserver; runController in-process)',
    '',
    row('one machine: hcloud API calls, total', one.hcloudCalls),
    row('  of which catalog lookups (once per token and process)', one.catalogLookups),
    row('  of which HetznerCluster SSH key checks (per cluster)', one.clusterSshKeyChecks),
    row('  per provisioned machine (the rest)', perMachine, `goal ≤ 8: ${verdict(perMachine <= 8)}`),
    row('  counted by imageurl_hcloud_requests_total', one.controllerCountedCalls),
    row('  bootState transitions counted (6 expected)', one.transitionsCounted),
    '',
    `${'transition'.padEnd(46)} ${'in old state'.padStart(13)} ${'controller-added'.padStart(17)}  (goal < 1 s)`,
  ];
  for (const t of one.transitions as Transition[]) {
    const latency = t.controllerAddedLatencySeconds;
    lines.push(
      `${t.transition.padEnd(46)} ${`${t.timeInOldStateSeconds.toFixed(3)} s`.padStart(13)} ${`${latency.toFixed(3)} s`.padStart(17)}  ${verdict(latency < 1)}`,
    );
  }
  lines.push(
    '',
    row(
      `${String(many.machines)} machines at once: succeeded / failed`,
      `${String(many.succeeded)} / ${String(many.failed)}`,
    ),
    row('  total time, first object created → last OperatingSystemRunning (s)', many.totalSeconds),
    row(
      '  hcloud API calls per machine, all / without lookups',
      `${String(many.hcloudCallsPerMachine)} / ${String(many.hcloudCallsPerMachineWithoutLookups)}`,
    ),
    row(
      '  429 answers from the simulator',
      many.simulator429s,
      `goal 0: ${verdict(many.simulator429s === 0)}`,
    ),
    row(
      '  rate-limit waits of the client (count / s)',
      `${String(many.rateLimitWaits)} / ${String(many.rateLimitWaitSeconds)}`,
    ),
    row(
      `  bootState transitions counted (${String(many.transitionsExpected)} expected)`,
      many.transitionsCounted,
    ),
    row('controller process heap after GC: before start (MiB)', mem.beforeController?.heapUsedMiB),
    row(
      '  after 1 machine / after the concurrent run (MiB)',
      `${mem.afterOneMachine?.heapUsedMiB} / ${mem.afterConcurrent?.heapUsedMiB}`,
    ),
    row('controller process RSS: before start (MiB)', mem.beforeController?.rssMiB),
    row(
      '  after 1 machine / after the concurrent run (MiB)',
      `${mem.afterOneMachine?.rssMiB} / ${mem.afterConcurrent?.rssMiB}`,
    ),
    '',
    `one machine, hcloud calls by endpoint: ${JSON.stringify(one.callsByEndpoint)}`,
    `latency: ${String(one.latencyDefinition)}`,
  );
  console.log(lines.join('\n'));
}
