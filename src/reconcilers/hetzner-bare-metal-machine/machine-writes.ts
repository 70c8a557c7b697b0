import type { KubeClient } from '../../kube/index.js';
import {
  bareMetalMachines,
  HOST_ANNOTATION,
  type BareMetalHostObject,
  type BareMetalMachineObject,
} from './types.js';

const optionsOf = (signal?: AbortSignal): { signal?: AbortSignal } => (signal ? { signal } : {});

/** CAPH's hostKey: `<namespace>/<name>`. */
export function hostKey(host: BareMetalHostObject): string {
  return `${host.metadata.namespace ?? ''}/${host.metadata.name ?? ''}`;
}

function annotationChange(machine: BareMetalMachineObject, host: BareMetalHostObject | undefined): object {
  if (!host || machine.metadata.annotations?.[HOST_ANNOTATION] === hostKey(host)) return {};
  return { metadata: { annotations: { [HOST_ANNOTATION]: hostKey(host) } } };
}

/**
 * Writes what the runtime's status patch cannot: the host annotation and spec.providerID, in one
 * merge patch, only what differs. Returns whether anything was written.
 */
export async function patchMachine(
  client: KubeClient,
  machine: BareMetalMachineObject,
  wanted: { readonly host?: BareMetalHostObject; readonly providerID?: string },
  signal?: AbortSignal,
): Promise<boolean> {
  const patch = {
    ...annotationChange(machine, wanted.host),
    ...(wanted.providerID !== undefined && machine.spec.providerID !== wanted.providerID
      ? { spec: { providerID: wanted.providerID } }
      : {}),
  };
  if (Object.keys(patch).length === 0) return false;
  const target = { namespace: machine.metadata.namespace ?? '', name: machine.metadata.name ?? '' };
  await client.mergePatch(bareMetalMachines, target, patch, optionsOf(signal));
  return true;
}
