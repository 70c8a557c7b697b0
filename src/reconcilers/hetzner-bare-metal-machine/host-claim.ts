import { apiVersionOf, CLUSTER_NAME_LABEL, type ObjectMeta } from '../../kube/index.js';
import { isConsumedBy } from './host-choice.js';
import { isEmpty } from './host-writes.js';
import { clusterNameOf } from '../shared/owners.js';
import {
  bareMetalMachines,
  type BareMetalHostObject,
  type BareMetalMachineObject,
  type Owners,
} from './types.js';

type OwnerReference = NonNullable<ObjectMeta['ownerReferences']>[number];

/** CAPH's consumerRef: the machine as a corev1.ObjectReference. */
export function consumerRefOf(machine: BareMetalMachineObject): Record<string, string> {
  return {
    apiVersion: apiVersionOf(bareMetalMachines),
    kind: bareMetalMachines.kind,
    name: machine.metadata.name ?? '',
    namespace: machine.metadata.namespace ?? '',
  };
}

function ownerRefOf(machine: BareMetalMachineObject): OwnerReference {
  return {
    apiVersion: apiVersionOf(bareMetalMachines),
    kind: bareMetalMachines.kind,
    name: machine.metadata.name ?? '',
    uid: machine.metadata.uid ?? '',
    controller: true,
  };
}

function sameRef(a: OwnerReference, b: OwnerReference): boolean {
  const keys = ['apiVersion', 'kind', 'name', 'uid', 'controller'] as const;
  return keys.every((key) => a[key] === b[key]);
}

/**
 * The host's owner references with this machine as its controller (CAPH's setOwnerRef). Other
 * HetznerBareMetalMachines' references are dropped: a host has one consumer, and a stale
 * controller reference would make the apiserver refuse a second one.
 */
function ownerRefsChange(
  host: BareMetalHostObject,
  machine: BareMetalMachineObject,
): OwnerReference[] | undefined {
  const current = host.metadata.ownerReferences ?? [];
  const ours = ownerRefOf(machine);
  const wanted = [...current.filter((ref) => ref.kind !== bareMetalMachines.kind), ours];
  // Equal lengths: exactly one HetznerBareMetalMachine reference now; unchanged if it is ours.
  const same = current.length === wanted.length && current.some((ref) => sameRef(ref, ours));
  return same ? undefined : wanted;
}

/** The host without this machine's owner reference, or undefined when it has none. */
export function ownerRefsWithout(
  host: BareMetalHostObject,
  machine: BareMetalMachineObject,
): OwnerReference[] | undefined {
  const current = host.metadata.ownerReferences ?? [];
  const kept = current.filter(
    (ref) => !(ref.kind === bareMetalMachines.kind && ref.name === machine.metadata.name),
  );
  return kept.length === current.length ? undefined : kept;
}

/**
 * CAPH's setHostSpec: once, while the host has no installImage, copy the machine's installImage,
 * the bootstrap Secret reference (Machine.spec.bootstrap.dataSecretName, machine namespace), its
 * sshSpec and the HetznerCluster name into `spec.status`. The host controller starts
 * provisioning from there; a host that has an installImage already is never changed.
 */
function hostSpecChange(host: BareMetalHostObject, machine: BareMetalMachineObject, owners: Owners): object {
  const dataSecretName = owners.machine.spec?.bootstrap?.dataSecretName;
  if (host.spec.status?.installImage !== undefined || !dataSecretName) return {};
  return {
    installImage: machine.spec.installImage,
    userData: { namespace: machine.metadata.namespace ?? '', name: dataSecretName },
    ...(machine.spec.sshSpec ? { sshSpec: machine.spec.sshSpec } : {}),
    hetznerClusterRef: owners.hetznerCluster.metadata.name ?? '',
  };
}

/**
 * What makes `host` this machine's (CAPH's associate/update: consumerRef, controller owner
 * reference, the cluster-name label, the copied spec), as merge-patch parts; undefined when the
 * host is in that state already.
 */
export function claimChanges(
  host: BareMetalHostObject,
  machine: BareMetalMachineObject,
  owners: Owners,
): { metadata: object; spec: object } | undefined {
  const clusterName = clusterNameOf(owners.machine);
  const ownerReferences = ownerRefsChange(host, machine);
  const metadata = {
    ...(host.metadata.labels?.[CLUSTER_NAME_LABEL] === clusterName
      ? {}
      : { labels: { [CLUSTER_NAME_LABEL]: clusterName } }),
    ...(ownerReferences ? { ownerReferences } : {}),
  };
  const status = hostSpecChange(host, machine, owners);
  const spec = {
    ...(isConsumedBy(host, machine) ? {} : { consumerRef: consumerRefOf(machine) }),
    ...(isEmpty(status) ? {} : { status }),
  };
  return isEmpty(metadata) && isEmpty(spec) ? undefined : { metadata, spec };
}
