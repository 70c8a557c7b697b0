// Assertions about one HCloudMachine of machine-env.ts, as CAPH behaves:
// conditions in both formats, the command's events, remediation, and deletion leaving no server.
import assert from 'node:assert/strict';
import { REMEDIATE_ANNOTATION, STATE_ANNOTATION } from '../../src/reconcilers/hcloud-machine/types.js';
import type { MachineEnv } from './machine-env.js';
import {
  conditionOf,
  eventsOf,
  findMachine,
  getMachine,
  ownerMachine,
  pollFor,
  serversOf,
  v1beta2ConditionOf,
  type EventView,
  type HCloudMachineView,
} from './machine-observation.js';
import { hcloudMachinesKind } from './provisioning-objects.js';

/** The core's error count, kept in the state annotation. */
export async function consecutiveErrors(env: MachineEnv, name: string): Promise<number> {
  const raw = (await getMachine(env, name)).metadata.annotations?.[STATE_ANNOTATION] ?? '{}';
  return (JSON.parse(raw) as { consecutiveErrors?: number }).consecutiveErrors ?? 0;
}

export async function waitForFailure(env: MachineEnv, name: string): Promise<HCloudMachineView> {
  return pollFor(
    `${name} to be ProvisioningFailed`,
    async () => {
      const machine = await getMachine(env, name);
      return machine.status?.bootState === 'ProvisioningFailed' ? machine : undefined;
    },
    { deadlineMs: 90_000 },
  );
}

/**
 * The ServerProvisioned condition False with CAPH's v1beta1 and v1beta2 reasons (in that order)
 * and `severity`; returns its message.
 */
export function assertProvisioned(
  machine: HCloudMachineView,
  expected: { readonly reasons: readonly [string, string]; readonly severity: string },
): string {
  const condition = conditionOf(machine, 'ServerProvisioned') ?? assert.fail('no ServerProvisioned');
  assert.equal(condition.status, 'False');
  assert.equal(condition.reason, expected.reasons[0]);
  assert.equal(condition.severity, expected.severity);
  assert.equal(v1beta2ConditionOf(machine, 'ServerProvisioned')?.reason, expected.reasons[1]);
  return condition.message ?? '';
}

export function sinceOf(machine: HCloudMachineView): string {
  return machine.status?.bootStateSince ?? assert.fail('no bootStateSince');
}

/** The Warning event about the command (failure or timeout), with its output. */
export async function warningNote(env: MachineEnv, name: string): Promise<string> {
  const event = await eventWith(env, name, 'ImageURLCommandFailed');
  assert.equal(event.type, 'Warning');
  return event.note ?? '';
}

export async function eventWith(env: MachineEnv, name: string, reason: string): Promise<EventView> {
  return pollFor(
    `a ${reason} event for ${name}`,
    async () => (await eventsOf(env, name)).find((event) => event.reason === reason),
    { deadlineMs: 15_000 },
  );
}

/** CAPH's SetErrorAndRemediate: the owner Machine is annotated and a Warning event says why. */
export async function assertRemediated(env: MachineEnv, name: string): Promise<void> {
  const machine = await ownerMachine(env, name);
  assert.equal(machine.metadata.annotations?.[REMEDIATE_ANNOTATION], '');
  const notice = await eventWith(env, name, 'HCloudMachineWillBeRemediated');
  assert.equal(notice.type, 'Warning');
  assert.match(notice.note ?? '', /^HCloudMachine will be remediated: /);
}

/** Deletes the HCloudMachine; it must disappear (finalizer done) and leave no server behind. */
export async function deleteAndExpectNoServer(env: MachineEnv, name: string): Promise<void> {
  await env.api.client.delete(hcloudMachinesKind, name, name);
  await pollFor(
    `${name} to be gone`,
    async () => ((await findMachine(env, name)) === undefined ? true : undefined),
    { deadlineMs: 60_000 },
  );
  assert.deepEqual(await serversOf(env, name), [], `${name}: no server left`);
}
