// What tests read about one HCloudMachine of machine-env.ts: the object, its owner Machine, its
// events, its servers in the Cloud simulator, and waits on its boot state (polling with a
// deadline, never a fixed sleep).
import { setTimeout as delay } from 'node:timers/promises';
import { eventKind, machineKind, type KubeObject } from '../../src/kube/index.js';
import { hcloudMachinesKind } from './provisioning-objects.js';
import type { MachineEnv } from './machine-env.js';

export interface MetaCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly severity?: string;
}

export interface HCloudMachineView extends KubeObject {
  spec: { providerID?: string };
  status?: {
    bootState?: string;
    bootStateSince?: string;
    ready?: boolean;
    conditions?: MetaCondition[];
    v1beta2?: { conditions?: MetaCondition[] };
  };
}

export interface EventView extends KubeObject {
  readonly type?: string;
  readonly reason?: string;
  readonly note?: string;
  readonly regarding?: { readonly name?: string; readonly kind?: string };
}

export interface ServerView {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly labels: Record<string, string>;
}

/** The happy path's order, to tell "not there yet" from "went past it". */
export const happyPath = [
  '',
  'Initializing',
  'EnablingRescue',
  'BootingToRescue',
  'RunningImageCommand',
  'BootingToRealOS',
  'OperatingSystemRunning',
] as const;

export type HappyState = (typeof happyPath)[number];

export function findMachine(env: MachineEnv, name: string): Promise<HCloudMachineView | undefined> {
  return env.api.client.find<HCloudMachineView>(hcloudMachinesKind, name, name);
}

export async function getMachine(env: MachineEnv, name: string): Promise<HCloudMachineView> {
  return env.api.client.get<HCloudMachineView>(hcloudMachinesKind, name, name);
}

/** The owner Cluster API Machine (same name and namespace). */
export async function ownerMachine(env: MachineEnv, name: string): Promise<KubeObject> {
  return env.api.client.get<KubeObject>(machineKind, name, name);
}

export async function eventsOf(env: MachineEnv, name: string): Promise<EventView[]> {
  return (await env.api.client.list<EventView>(eventKind, { namespace: name })).items;
}

/** The v1beta1 condition `type` (CAPH's `status.conditions`). */
export function conditionOf(machine: HCloudMachineView, type: string): MetaCondition | undefined {
  return machine.status?.conditions?.find((condition) => condition.type === type);
}

export function v1beta2ConditionOf(machine: HCloudMachineView, type: string): MetaCondition | undefined {
  return machine.status?.v1beta2?.conditions?.find((condition) => condition.type === type);
}

/** The servers carrying the machine's `machine.caph-name` label. */
export async function serversOf(env: MachineEnv, name: string): Promise<ServerView[]> {
  const selector = encodeURIComponent(`machine.caph-name==${name}`);
  const reply = await env.cloud.api.call('GET', `/servers?label_selector=${selector}`);
  if (reply.status !== 200) throw new Error(`listing servers answered ${reply.status}`);
  return reply.body.servers as ServerView[];
}

/** Every server of the simulated project. */
export async function allServers(env: MachineEnv): Promise<ServerView[]> {
  const reply = await env.cloud.api.call('GET', '/servers');
  if (reply.status !== 200) throw new Error(`listing servers answered ${reply.status}`);
  return reply.body.servers as ServerView[];
}

/**
 * Polls (every `intervalMs`) until `probe` returns a value; fails after `deadlineMs`, or at once
 * when `probe` throws a StopWaiting.
 */
export async function pollFor<T>(
  description: string,
  probe: () => Promise<T | undefined>,
  options: { readonly deadlineMs: number; readonly intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      last = error;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`timed out after ${options.deadlineMs} ms waiting for ${description}${why}`);
    }
    await delay(options.intervalMs ?? 100);
  }
}

export class StopWaiting extends Error {}

/**
 * Waits until the machine's bootState is `state`; fails at once when it went past it on the
 * happy path or failed, so a state that was too short to be seen is reported as such.
 */
export async function waitForBootState(
  env: MachineEnv,
  name: string,
  state: HappyState,
  deadlineMs: number,
): Promise<HCloudMachineView> {
  const wanted = happyPath.indexOf(state);
  return pollFor(
    `${name} to be in ${state || 'the unset state'}`,
    async () => {
      const machine = await getMachine(env, name);
      const current = machine.status?.bootState ?? '';
      if (current === state) return machine;
      const at = happyPath.indexOf(current as HappyState);
      if (at < 0 || at > wanted) {
        throw new StopWaiting(`${name} is in ${current}, past ${state}: ${JSON.stringify(machine.status)}`);
      }
      return undefined;
    },
    { deadlineMs, intervalMs: 50 },
  );
}
