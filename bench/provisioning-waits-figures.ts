import type { ServerTimeline } from '../sim/cloud/timeline-view.js';
import type { LoggedRequest } from '../sim/http/request-log.js';
import type { StateSeen } from './provisioning-single.js';

/** What one machine's run left behind, gathered by bench/provisioning-waits.ts. */
export interface MachineRun {
  readonly name: string;
  /** When its HCloudMachine (the last of its objects) had been created. */
  readonly created: number;
  /** Each bootState as the bench's watch first saw it. */
  readonly states: readonly StateSeen[];
  readonly timeline: ServerTimeline | undefined;
  /** The command's own last timestamp (from its output in the success event). */
  readonly commandFinishedAt: number;
  /** A failed machine's condition reason and message. */
  readonly failure?: string;
}

/** Per transition: what made the next step possible, as the simulator (or the command) saw it. */
const enablers: readonly {
  readonly to: string;
  readonly enabledBy: string;
  readonly at: (run: MachineRun) => number;
}[] = [
  { to: 'Initializing', enabledBy: 'HCloudMachine created', at: (run) => run.created },
  { to: 'EnablingRescue', enabledBy: 'create_server finished', at: (run) => finished(run, 'create_server') },
  { to: 'BootingToRescue', enabledBy: 'enable_rescue finished', at: (run) => finished(run, 'enable_rescue') },
  { to: 'RunningImageCommand', enabledBy: 'rescue system answers SSH', at: (run) => booted(run, 'rescue') },
  { to: 'BootingToRealOS', enabledBy: 'the command finished', at: (run) => run.commandFinishedAt },
];

function finished(run: MachineRun, command: string): number {
  const action = run.timeline?.actions.find((a) => a.command === command && a.finished !== null);
  return action?.finished ? Date.parse(action.finished) : NaN;
}

function booted(run: MachineRun, system: 'rescue' | 'os'): number {
  const boot = run.timeline?.boots.find((b) => b.type === 'booted' && b.system === system);
  return boot ? Date.parse(boot.at) : NaN;
}

const seenAt = (run: MachineRun, state: string): number =>
  run.states.find((entry) => entry.state === state)?.seenAt ?? NaN;

/** p50, p95 and max in seconds (nearest rank), and how many values were measured. */
export function spread(values: readonly number[]): { n: number; p50: number; p95: number; max: number } {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const rank = (q: number): number => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const s = (ms: number): number => Math.round(ms) / 1000;
  return { n: sorted.length, p50: s(rank(0.5)), p95: s(rank(0.95)), max: s(rank(1)) };
}

const clusterEndpoints = /^\w+ \/v1\/(load_balancers|placement_groups|networks)/;

/** Requests by route pattern, e.g. `GET /v1/actions/:actionId` → count. */
function byEndpoint(requests: readonly LoggedRequest[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r.endpoint, (counts.get(r.endpoint) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}

/**
 * The figures of issue #16: hcloud requests per machine (everything the controller sent,
 * catalog lookups included, divided by the machines), the controller-added wait per transition
 * (the moment the next step could start → the moment the new bootState was visible through a
 * watch) and installed OS answering → OperatingSystemRunning (negative: declared before).
 */
export function waitFigures(
  runs: readonly MachineRun[],
  all: readonly LoggedRequest[],
): Record<string, unknown> {
  const machines = runs.length;
  // The HetznerCluster controller's (load balancer, placement groups, its SSH key check) are the cluster's.
  const requests = all.filter((r) => !clusterEndpoints.test(r.endpoint) && !/ssh_keys\?page=/.test(r.path));
  const perMachine = (count: number): number => Math.round((count / machines) * 100) / 100;
  const endpoints = byEndpoint(requests);
  const transitions = enablers.map(({ to, enabledBy, at }) => ({
    to,
    enabledBy,
    controllerAddedWaitSeconds: spread(runs.map((run) => seenAt(run, to) - at(run))),
  }));
  const osAnswering = runs.map((run) => seenAt(run, 'OperatingSystemRunning') - booted(run, 'os'));
  const waits = transitions.flatMap((t) => t.controllerAddedWaitSeconds);
  return {
    machines,
    reachedOperatingSystemRunning: runs.filter((run) =>
      Number.isFinite(seenAt(run, 'OperatingSystemRunning')),
    ).length,
    failedByReason: countBy(runs.flatMap((run) => (run.failure === undefined ? [] : [run.failure]))),
    hcloudRequestsPerMachine: perMachine(requests.length),
    hcloudRequestsOfTheClusterController: byEndpoint(all.filter((r) => !requests.includes(r))),
    hcloudRequestsPerMachineByEndpoint: Object.fromEntries(
      Object.entries(endpoints).map(([endpoint, count]) => [endpoint, perMachine(count)]),
    ),
    requestsWithStatus429: requests.filter((r) => r.status === 429).length,
    transitions,
    worstTransitionP95Seconds: Math.max(...waits.map((s) => s.p95)),
    worstTransitionMaxSeconds: Math.max(...waits.map((s) => s.max)),
    installedOsAnsweringToOperatingSystemRunningSeconds: {
      ...spread(osAnswering),
      min: Math.round(Math.min(...osAnswering)) / 1000,
    },
    timeInStateSeconds: Object.fromEntries(
      ['Initializing', 'EnablingRescue', 'BootingToRescue', 'RunningImageCommand', 'BootingToRealOS'].map(
        (state, i, list) => {
          const next = list[i + 1] ?? 'OperatingSystemRunning';
          return [state, spread(runs.map((run) => seenAt(run, next) - seenAt(run, state)))];
        },
      ),
    ),
  };
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
