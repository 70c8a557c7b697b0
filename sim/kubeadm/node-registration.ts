import { parse } from 'yaml';
import type { OsBootContext } from '../machine/os-services.js';
import { KubeadmBootstrapError } from './cloud-config.js';
import { UNINITIALIZED_TAINT } from './cloud-node-controller.js';
import type { NodeRegistration, Taint } from './kubeadm-config.js';

const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** cloud-init's instance-data variables a nodeRegistration.name may use (CAPH's templates do). */
const instanceVariables =
  /\{\{\s*(?:ds\.meta_data\.(?:local_hostname|hostname)|v1\.local_hostname|local_hostname)\s*\}\}/g;

/**
 * The node's name as kubeadm picks it: nodeRegistration.name with cloud-init's instance-data
 * variables rendered, else the host name cloud-init set (the bootstrap data's `hostname` or
 * `fqdn`, else the instance metadata's: the server name), lower-cased as kubeadm does.
 */
export function nodeNameFor(
  registration: NodeRegistration,
  context: Pick<OsBootContext, 'bootstrapData' | 'hostname' | 'instance'>,
): string {
  const instanceName = context.instance?.name ?? context.hostname;
  const written = registration.name?.replace(instanceVariables, instanceName);
  const hostname = namesHostname(context.bootstrapData) ? context.hostname : instanceName;
  const name = (written ?? hostname).toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name))
    throw new KubeadmBootstrapError(
      'nodeRegistration.name',
      `${JSON.stringify(name.slice(0, 80))} is not a valid node name (lower-case RFC 1123 subdomain)`,
    );
  return name;
}

/**
 * The kubelet's --register-with-taints as kubeadm sets them (nodeRegistration.taints; unset:
 * the control-plane taint on control planes, none on workers), plus the taint a kubelet with
 * `cloud-provider: external` adds until a cloud controller initialises the node.
 */
export function registrationTaints(registration: NodeRegistration, controlPlane: boolean): Taint[] {
  const taints = [...(registration.taints ?? (controlPlane ? [CONTROL_PLANE_TAINT] : []))];
  if (registration.kubeletExtraArgs['cloud-provider'] === 'external')
    taints.push({ key: UNINITIALIZED_TAINT, value: 'true', effect: 'NoSchedule' });
  return taints;
}

function namesHostname(bootstrapData: string): boolean {
  try {
    const config = parse(bootstrapData.replace(/^## template: jinja\r?\n/, '')) as Record<
      string,
      unknown
    > | null;
    return typeof config?.hostname === 'string' || typeof config?.fqdn === 'string';
  } catch {
    return false;
  }
}
