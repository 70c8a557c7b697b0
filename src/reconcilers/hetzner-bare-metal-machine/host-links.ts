import { keyOf, objectKey, type Informer, type KeyMapper, type ObjectKey } from '../../kube/index.js';
import { bareMetalMachines } from '../shared/kinds.js';
import { chooseHost } from './host-choice.js';
import { HOST_ANNOTATION, type BareMetalHostObject, type BareMetalMachineObject } from './types.js';

/** The machine a host's consumerRef names (HetznerBareMetalMachines only). */
function consumerKey(host: BareMetalHostObject): ObjectKey | undefined {
  const ref = host.spec.consumerRef;
  if (!ref?.name || (ref.kind !== undefined && ref.kind !== bareMetalMachines.kind)) return undefined;
  return objectKey(ref.namespace || host.metadata.namespace, ref.name);
}

/** Machines of the host's namespace still looking for a host that would choose this one. */
function waitingFor(host: BareMetalHostObject, machines: Informer<BareMetalMachineObject>): ObjectKey[] {
  if (host.spec.consumerRef !== undefined || host.spec.status?.errorType) return [];
  return machines.store
    .list()
    .filter(
      (machine) =>
        machine.metadata.namespace === host.metadata.namespace &&
        machine.metadata.annotations?.[HOST_ANNOTATION] === undefined &&
        !machine.metadata.deletionTimestamp &&
        chooseHost(machine, [host]).kind === 'chosen',
    )
    .map(keyOf);
}

/**
 * CAPH's BareMetalHostToBareMetalMachines: a host change reconciles the machine that consumes it
 * (before and after the change, so a released host wakes its former machine), and a free host
 * without error wakes the machines waiting for a host it would fit.
 */
export function hostToMachines(machines: Informer<BareMetalMachineObject>): KeyMapper<BareMetalHostObject> {
  return (change) => {
    const consumers = [change.object, ...(change.previous ? [change.previous] : [])]
      .map(consumerKey)
      .filter((key): key is ObjectKey => key !== undefined);
    const waiting = change.type === 'deleted' ? [] : waitingFor(change.object, machines);
    return [...new Set([...consumers, ...waiting])];
  };
}
