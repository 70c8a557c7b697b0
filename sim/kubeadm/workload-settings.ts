import type { AssetLookupOptions } from '../kube-control-plane/assets.js';
import type { OsServices } from '../machine/os-services.js';
import { parseKubeadmCloudConfig } from './cloud-config.js';
import type { InstanceLookup } from './cloud-node-controller.js';
import { kubeadmPlan } from './kubeadm-config.js';
import { KubeadmNode } from './kubeadm-node.js';

/** How simulated servers honour kubeadm bootstrap data (sim/kubeadm, ADR 0013). */
export interface WorkloadSettings {
  /**
   * Where the cloud controller stand-in of a workload cluster finds servers by node name; none:
   * nodes registered with `cloud-provider: external` keep their uninitialized taint.
   */
  readonly cloudLookup?: InstanceLookup;
  /** Lease renewal of the kubelet stand-in (kubelet: 10 s) and the lease's duration (40 s). */
  readonly leaseRenewMs?: number;
  readonly leaseDurationSeconds?: number;
  /** kube-controller-manager's --node-monitor-grace-period in seconds (Kubernetes' default 50). */
  readonly nodeMonitorGracePeriodSeconds?: number;
  readonly cloudControllerIntervalMs?: number;
  /** How long a control plane may take to start, and a join to discover and be signed. */
  readonly deadlineMs?: number;
  /** The version kubelets report (the binaries' version). */
  readonly kubeletVersion?: string;
  readonly assets?: AssetLookupOptions;
  /** Progress and failures of the stand-ins (kubeadm's and the kubelet's output). */
  readonly onLog?: (line: string) => void;
}

/**
 * The installed OS's services for kubeadm bootstrap data: when the data a server booted with is
 * a Cluster API kubeadm cloud-config, a KubeadmNode runs while the OS does; other data: nothing.
 * Data that names kubeadm but cannot be followed is logged, and nothing starts (as a node whose
 * cloud-init failed).
 */
export function kubeadmOsServices(settings: WorkloadSettings = {}): OsServices {
  const resolved = resolveSettings(settings);
  return (context) => {
    try {
      const config = parseKubeadmCloudConfig(context.bootstrapData);
      if (config === undefined) return undefined;
      return new KubeadmNode(context, config, kubeadmPlan(config), resolved);
    } catch (error) {
      resolved.onLog(`${context.hostname}: kubeadm bootstrap data not followed: ${String(error)}`);
      return undefined;
    }
  };
}

export type ResolvedWorkloadSettings = Required<Omit<WorkloadSettings, 'cloudLookup' | 'assets'>> &
  Pick<WorkloadSettings, 'cloudLookup' | 'assets'>;

/** Kubernetes' own timings where the settings name none. */
function resolveSettings(settings: WorkloadSettings): ResolvedWorkloadSettings {
  return {
    leaseRenewMs: 10_000,
    leaseDurationSeconds: 40,
    nodeMonitorGracePeriodSeconds: 50,
    cloudControllerIntervalMs: 2_000,
    deadlineMs: 120_000,
    kubeletVersion: 'v1.34.4',
    onLog: (): void => undefined,
    ...definedOnly(settings),
  };
}

function definedOnly<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}
