import { RemediationPhase } from '../../../api/v1beta1/remediation-strategy.js';
import type { Phase, PhaseResult, Scope } from '../../kube/index.js';
import { serverIdOf } from '../../provisioning/index.js';
import { hcloudMachines } from '../shared/kinds.js';
import type { HCloudMachineObject } from '../shared/objects.js';
import { writeConditions } from './conditions.js';
import { decide, type Decision } from './decide.js';
import { clearRemediationRequest, handOverToOwner, type MachineTarget } from './machine-writes.js';
import {
  findTarget,
  hcloudToken,
  irrecoverableFailure,
  missingServer,
  nodeHealthy,
  type RemediationTarget,
} from './remediation-inputs.js';
import { strategyOf } from './strategy-input.js';
import { cloudTrouble } from './cloud-trouble.js';
import type { HCloudRemediationDeps, HCloudRemediationObject } from './types.js';

type RemediationScope = Scope<HCloudRemediationObject>;

const WAIT_MS = 30_000;
const FINISHED: readonly string[] = [RemediationPhase.Deleting, RemediationPhase.Succeeded];

/** The one phase: find the machine, then do what `decide` says (see decide.ts). */
export function remediationPhase(deps: HCloudRemediationDeps): Phase<HCloudRemediationObject> {
  return async (scope): Promise<PhaseResult | undefined> => {
    if (FINISHED.includes(scope.object.status?.phase ?? '')) return undefined;
    const { signal, log } = scope.context;
    const lookup = await findTarget(deps, scope.object, signal);
    if (lookup.kind === 'idle') {
      log.info({ waitingFor: lookup.why }, 'Not remediating');
      return undefined;
    }
    const skipped = irrecoverableFailure(lookup.target.hcloudMachine);
    if (skipped !== undefined) {
      writeConditions(scope.status, { skipped }, deps.clock.now());
      return undefined;
    }
    const token = await hcloudToken(deps, lookup.target, signal);
    if (token === undefined) {
      const ref = lookup.target.owners.hetznerCluster.spec.hetznerSecretRef;
      const message = `Secret ${ref.name} has no hcloud token at key ${ref.key.hcloudToken}`;
      writeConditions(scope.status, { token: { problem: 'unreachable', message } }, deps.clock.now());
      return { requeueAfterMs: WAIT_MS };
    }
    try {
      const result = await remediate(deps, scope, lookup.target, token);
      writeConditions(scope.status, {}, deps.clock.now());
      return result;
    } catch (error) {
      const trouble = cloudTrouble(error);
      if (trouble === undefined) throw error;
      writeConditions(scope.status, trouble.health, deps.clock.now());
      return { requeueAfterMs: trouble.retryAfterMs };
    }
  };
}

async function remediate(
  deps: HCloudRemediationDeps,
  scope: RemediationScope,
  target: RemediationTarget,
  token: string,
): Promise<PhaseResult | undefined> {
  const reboots = deps.rebootsFor(token);
  const { hcloudMachine, owners } = target;
  const bootState = hcloudMachine.status?.bootState ?? '';
  const status = scope.status;
  const now = deps.clock.now();
  const decision = decide({
    strategy: strategyOf(scope.object.spec?.strategy),
    phase: status.phase ?? '',
    retryCount: status.retryCount ?? 0,
    lastRemediatedMs: timeOf(status.lastRemediated),
    bootState,
    noServer:
      bootState === 'OperatingSystemRunning' ? await missingServer(reboots, hcloudMachine) : undefined,
    nodeHealthy: nodeHealthy(owners.machine),
    machineLastRemediatedMs: timeOf(hcloudMachine.status?.lastRemediatedAt),
    nowMs: now.getTime(),
  });
  const machine: MachineTarget = {
    client: deps.client,
    namespace: owners.machine.metadata.namespace ?? '',
    name: owners.machine.metadata.name ?? '',
    signal: scope.context.signal,
  };
  return act(decision, { deps, scope, target, machine, reboots, now });
}

interface Action {
  readonly deps: HCloudRemediationDeps;
  readonly scope: RemediationScope;
  readonly target: RemediationTarget;
  readonly machine: MachineTarget;
  readonly reboots: ReturnType<HCloudRemediationDeps['rebootsFor']>;
  readonly now: Date;
}

async function act(decision: Decision, a: Action): Promise<PhaseResult | undefined> {
  const status = a.scope.status;
  switch (decision.kind) {
    case 'hand-over':
      await handOverToOwner(a.machine, decision.reason, decision.message, a.now);
      a.scope.event({
        type: 'Normal',
        reason: decision.reason === 'RemediationCooldownTriggered' ? 'RemediationSkipped' : 'ExitRemediation',
        note: decision.message,
      });
      status.phase = RemediationPhase.Deleting;
      return undefined;
    case 'reboot':
      await reboot(a);
      status.lastRemediated = isoSeconds(a.now);
      status.retryCount = (status.retryCount ?? 0) + 1;
      status.phase = decision.phase;
      return { requeueAfterMs: decision.requeueAfterMs };
    case 'wait':
      status.phase = decision.phase;
      return { requeueAfterMs: decision.requeueAfterMs };
    case 'succeeded':
      await clearRemediationRequest(a.machine, a.target.owners.machine);
      await stampLastRemediated(a, a.target.hcloudMachine);
      a.scope.event({ type: 'Normal', reason: 'RemediationSucceeded', note: decision.message });
      status.phase = RemediationPhase.Succeeded;
      return undefined;
    case 'none':
      if (decision.problem !== undefined)
        a.scope.event({ type: 'Warning', reason: 'UnsupportedRemediationStrategy', note: decision.problem });
      return undefined;
  }
}

async function reboot(a: Action): Promise<void> {
  const serverId = serverIdOf(a.target.hcloudMachine.spec.providerID) ?? 0;
  try {
    await a.reboots.reboot({ serverId });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    a.scope.event({ type: 'Warning', reason: 'FailedRebootServer', note: reason });
    throw error;
  }
  a.scope.event({ type: 'Normal', reason: 'ServerRebooted', note: 'Server has been rebooted' });
}

/** The HCloudMachine's status.lastRemediatedAt: the cooldown of its next remediation counts from it. */
async function stampLastRemediated(a: Action, hcloudMachine: HCloudMachineObject): Promise<void> {
  const target = {
    namespace: hcloudMachine.metadata.namespace ?? '',
    name: hcloudMachine.metadata.name ?? '',
  };
  const patch = { status: { lastRemediatedAt: isoSeconds(a.now) } };
  await a.deps.client.mergePatch(hcloudMachines, target, patch, {
    subresource: 'status',
    signal: a.scope.context.signal,
  });
}

function timeOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Date.parse(text);
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}
