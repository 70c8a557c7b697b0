import { writeFile } from 'node:fs/promises';
import { Command, Option } from '@commander-js/extra-typings';
import { KubeClient, KubeTransport, loadKubeConfig, parseDuration } from '../../kube/index.js';
import { readMachineHistories, type HistoryQuery } from '../report/machine-history.js';
import { buildReport } from '../report/report-data.js';
import { isReportFormat, renderReport, reportFormats, type ReportFormat } from '../report/report-output.js';
import { timelineSvg } from '../report/timeline-svg.js';

export interface ReportIo {
  readonly env: NodeJS.ProcessEnv;
  readonly print: (text: string) => void;
  readonly now: () => number;
}

/** Usage errors name the flag, the value (truncated) and what is allowed. */
function usage(flag: string, value: string, allowed: string): Error {
  return new Error(`${flag}: invalid value ${JSON.stringify(value.slice(0, 40))}; allowed: ${allowed}`);
}

/**
 * `imageurl report`: the spec's state-duration table and failures by reason of a live cluster's
 * HCloudMachines and HetznerBareMetalHosts, from the state history the controller keeps on each
 * object (docs/adr/0012-state-history.md), so it works long after the events expired.
 */
export function reportCommand(io: ReportIo): Command {
  return new Command('report')
    .description(
      'state-duration table (count, avg, min, max, p50, p95) and failures by reason of the HCloudMachines and HetznerBareMetalHosts in a cluster; optionally a timeline SVG',
    )
    .option('--kubeconfig <file>', 'kubeconfig (default $KUBECONFIG, in-cluster, ~/.kube/config)')
    .option('-n, --namespace <namespace>', "namespace (default: the kubeconfig context's, else default)")
    .option('-A, --all-namespaces', 'all namespaces')
    .option('-l, --selector <labels>', 'label selector, e.g. cluster.x-k8s.io/cluster-name=demo')
    .option('--since <duration>', 'only state changes in this last span (Go duration: 30m, 2h)')
    .addOption(new Option('-o, --output <format>', reportFormats.join(', ')).default('table'))
    .option('--timeline <file.svg>', 'also write a timeline: one row per machine, states as coloured spans')
    .action(async (options) => {
      const format = options.output;
      if (!isReportFormat(format)) throw usage('--output', format, reportFormats.join(', '));
      const loaded = loadKubeConfig({ kubeconfig: options.kubeconfig, env: io.env });
      const namespace = options.allNamespaces
        ? undefined
        : (options.namespace ?? loaded.namespace ?? contextNamespace(loaded.config) ?? 'default');
      await runReport(io, loaded.config, {
        namespace,
        selector: options.selector,
        sinceMs: sinceOf(options.since),
        format,
        timeline: options.timeline,
      });
    });
}

interface ReportRun extends HistoryQuery {
  readonly sinceMs: number | undefined;
  readonly format: ReportFormat;
  readonly timeline: string | undefined;
}

async function runReport(io: ReportIo, config: KubeConfig, run: ReportRun): Promise<void> {
  const transport = new KubeTransport(config, { requestTimeoutMs: 30_000, userAgent: 'imageurl-report' });
  try {
    const histories = await readMachineHistories(new KubeClient(transport, 'imageurl-report'), run);
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

function sinceOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw usage('--since', text, 'a Go duration such as 90s, 30m, 2h');
  return ms;
}

type KubeConfig = ReturnType<typeof loadKubeConfig>['config'];

function contextNamespace(config: KubeConfig): string | undefined {
  return config.getContextObject(config.getCurrentContext())?.namespace;
}
