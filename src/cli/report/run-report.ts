import { writeFile } from 'node:fs/promises';
import { KubeClient, KubeTransport, loadKubeConfig } from '../../kube/index.js';
import type { ReportIo } from '../commands/report.js';
import { readMachineHistories } from './machine-history.js';
import { buildReport } from './report-data.js';
import { renderReport, type ReportFormat } from './report-output.js';
import { timelineSvg } from './timeline-svg.js';

export interface ReportRun {
  readonly kubeconfig: string | undefined;
  readonly namespace: string | undefined;
  readonly allNamespaces: boolean;
  readonly selector: string | undefined;
  readonly sinceMs: number | undefined;
  readonly format: ReportFormat;
  readonly timeline: string | undefined;
}

type KubeConfig = ReturnType<typeof loadKubeConfig>['config'];

function contextNamespace(config: KubeConfig): string | undefined {
  return config.getContextObject(config.getCurrentContext())?.namespace;
}

/** Reads the machines' state histories from the cluster and prints the report (and the timeline). */
export async function runReport(io: ReportIo, run: ReportRun): Promise<void> {
  const loaded = loadKubeConfig({ kubeconfig: run.kubeconfig, env: io.env });
  const namespace = run.allNamespaces
    ? undefined
    : (run.namespace ?? loaded.namespace ?? contextNamespace(loaded.config) ?? 'default');
  const transport = new KubeTransport(loaded.config, {
    requestTimeoutMs: 30_000,
    userAgent: 'imageurl-report',
  });
  try {
    const query = { namespace, selector: run.selector };
    const histories = await readMachineHistories(new KubeClient(transport, 'imageurl-report'), query);
    const now = io.now();
    const since = run.sinceMs === undefined ? undefined : now - run.sinceMs;
    io.print(renderReport(buildReport(histories, since), run.format));
    if (run.timeline === undefined) return;
    const shown = histories.map((history) => ({
      ...history,
      changes: history.changes.filter((change) => since === undefined || change.at.getTime() >= since),
    }));
    await writeFile(run.timeline, timelineSvg(shown, now));
  } finally {
    transport.close();
  }
}
