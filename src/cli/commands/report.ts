import { Command, Option } from '@commander-js/extra-typings';
// From kube/config directly, not kube/index: --help must not load the Kubernetes client.
import { parseDuration } from '../../kube/config/duration.js';
import { isReportFormat, reportFormats } from '../report/report-output.js';

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
      const sinceMs = sinceOf(options.since);
      // Loaded only when the report runs: `report --help` stays fast.
      const { runReport } = await import('../report/run-report.js');
      await runReport(io, {
        kubeconfig: options.kubeconfig,
        namespace: options.namespace,
        allNamespaces: options.allNamespaces === true,
        selector: options.selector,
        sinceMs,
        format,
        timeline: options.timeline,
      });
    });
}

function sinceOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw usage('--since', text, 'a Go duration such as 90s, 30m, 2h');
  return ms;
}
