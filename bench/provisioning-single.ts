import type { LoggedRequest } from '../sim/http/request-log.js';
import { byEndpoint } from './provisioning-support.js';

/** A bootState as the bench's watch first saw it. */
export interface StateSeen {
  readonly state: string;
  /** When the watch delivered it (bench clock, ms). */
  readonly seenAt: number;
  /** Its status.bootStateSince (ms). */
  readonly since: number;
}

export interface SingleMachineFacts {
  readonly states: readonly StateSeen[];
  /** Every request the simulator served during the run. */
  readonly requests: readonly LoggedRequest[];
  /** When the HCloudMachine (the last of its objects) had been created. */
  readonly created: number;
  /** When the simulator first reported the rescue system answering SSH. */
  readonly rescueAt: number;
  /** The command's own last timestamp, from its output in the success event. */
  readonly commandFinishedAt: number;
  /** imageurl_hcloud_requests_total, increase during the run. */
  readonly controllerCounted: number;
  /** imageurl_boot_state_duration_seconds_count, increase during the run. */
  readonly transitionsCounted: number;
}

/**
 * Calls that are not a machine's: the client's one-time catalog lookups (server type, image,
 * SSH key ids by name; remembered per token and process) and the HetznerCluster controller's
 * SSH key check (per cluster).
 */
export function lookupKind(request: LoggedRequest): 'catalog' | 'cluster' | undefined {
  if (request.endpoint === 'GET /v1/server_types' || request.endpoint === 'GET /v1/images') return 'catalog';
  if (request.endpoint !== 'GET /v1/ssh_keys') return undefined;
  return /[?&]name=/.test(request.path) ? 'catalog' : 'cluster';
}

/**
 * What makes each transition possible, as the simulator and the command report it (all
 * simulated action and boot durations are zero).
 */
const enablers: readonly { from: string; to: string; enabledBy: string }[] = [
  {
    from: '(unset)',
    to: 'Initializing',
    enabledBy: 'HCloudMachine created (with its Machine, Cluster, Secrets)',
  },
  { from: 'Initializing', to: 'EnablingRescue', enabledBy: 'create_server done = POST /servers answered' },
  {
    from: 'EnablingRescue',
    to: 'BootingToRescue',
    enabledBy: 'enable_rescue done = POST …/enable_rescue answered',
  },
  {
    from: 'BootingToRescue',
    to: 'RunningImageCommand',
    enabledBy: 'rescue system answers SSH (simulator, polled every 5 ms)',
  },
  {
    from: 'RunningImageCommand',
    to: 'BootingToRealOS',
    enabledBy: 'command finished (its own timestamp, printed before IMAGE_URL_DONE)',
  },
  {
    from: 'BootingToRealOS',
    to: 'OperatingSystemRunning',
    enabledBy: 'entering BootingToRealOS (hcloud reports running at once; the reboot is the controller’s)',
  },
];

function answeredAt(requests: readonly LoggedRequest[], endpoint: string, pathEnd = ''): number {
  const found = requests.find(
    (r) => r.endpoint === endpoint && r.status < 300 && r.path.split('?')[0]?.endsWith(pathEnd),
  );
  return found === undefined ? NaN : Date.parse(found.at);
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

/** Calls per machine and controller-added latency per transition of the one-machine run. */
export function singleMachineFigures(facts: SingleMachineFacts): Record<string, unknown> {
  const seen = new Map(facts.states.map((entry) => [entry.state, entry]));
  const sinceOf = (state: string): number =>
    state === '(unset)' ? facts.created : (seen.get(state)?.since ?? NaN);
  const enabledAt: Record<string, number> = {
    Initializing: facts.created,
    EnablingRescue: answeredAt(facts.requests, 'POST /v1/servers'),
    BootingToRescue: answeredAt(facts.requests, 'POST /v1/servers/:id/actions/:action', '/enable_rescue'),
    RunningImageCommand: facts.rescueAt,
    BootingToRealOS: facts.commandFinishedAt,
    OperatingSystemRunning: sinceOf('BootingToRealOS'),
  };
  const transitions = enablers.map(({ from, to, enabledBy }) => ({
    transition: `${from} → ${to}`,
    enabledBy,
    timeInOldStateSeconds: seconds(sinceOf(to) - sinceOf(from)),
    controllerAddedLatencySeconds: seconds((seen.get(to)?.seenAt ?? NaN) - (enabledAt[to] ?? NaN)),
  }));
  const catalog = facts.requests.filter((r) => lookupKind(r) === 'catalog').length;
  const cluster = facts.requests.filter((r) => lookupKind(r) === 'cluster').length;
  return {
    latencyDefinition:
      'controller-added latency = the moment the new bootState was visible in kube-apiserver (watch) − the moment ' +
      'the simulator (or the command) made it possible; simulated durations are all 0, so time spent by the ' +
      'controller, kube-apiserver round trips and SSH is all that is left',
    transitions,
    hcloudCalls: facts.requests.length,
    hcloudCallsPerMachine: facts.requests.length - catalog - cluster,
    catalogLookups: catalog,
    clusterSshKeyChecks: cluster,
    callsByEndpoint: byEndpoint(facts.requests),
    controllerCountedCalls: facts.controllerCounted,
    transitionsCounted: facts.transitionsCounted,
    calls: facts.requests.map((r) => `${r.at.slice(11, 23)} ${r.method} ${r.path} ${r.status}`),
  };
}
