// The apiserver picks new webhook configurations up asynchronously. Each probe is a dry-run
// create that only the provider's validating webhook refuses (a field behind a feature gate the
// manager runs without); once the refusal names an admission webhook, its calls are in force.
import { ApiException, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { waitFor } from '../process/wait-for.js';
import type { ManagerName } from './manager-assets.js';

interface Probe {
  readonly group: string;
  readonly plural: string;
  readonly body: Record<string, unknown>;
}

const PROBES: Record<ManagerName, Probe> = {
  'cluster-api': {
    group: 'cluster.x-k8s.io',
    plural: 'clusters',
    body: { kind: 'Cluster', spec: { topology: { classRef: { name: 'probe' }, version: 'v1.34.0' } } },
  },
  'bootstrap-kubeadm': {
    group: 'bootstrap.cluster.x-k8s.io',
    plural: 'kubeadmconfigs',
    body: { kind: 'KubeadmConfig', spec: { format: 'ignition' } },
  },
  'control-plane-kubeadm': {
    group: 'controlplane.cluster.x-k8s.io',
    plural: 'kubeadmcontrolplanetemplates',
    body: {
      kind: 'KubeadmControlPlaneTemplate',
      spec: { template: { spec: { remediation: { maxRetry: 1 } } } },
    },
  },
};

/** True once the webhook refuses the probe; throws what the apiserver said otherwise (the wait's last error). */
async function refusedByWebhook(api: CustomObjectsApi, probe: Probe, namespace: string): Promise<true> {
  try {
    await api.createNamespacedCustomObject({
      group: probe.group,
      version: 'v1beta2',
      namespace,
      plural: probe.plural,
      dryRun: 'All',
      body: {
        apiVersion: `${probe.group}/v1beta2`,
        metadata: { name: 'webhook-probe', namespace },
        ...probe.body,
      },
    });
  } catch (error) {
    const body = error instanceof ApiException ? String(error.body) : String(error);
    if (/admission webhook .* denied the request/.test(body)) return true;
    throw new Error(
      `the dry-run ${String(probe.body['kind'])} was refused otherwise: ${body.slice(0, 400)}`,
      {
        cause: error,
      },
    );
  }
  throw new Error(`the dry-run ${String(probe.body['kind'])} was admitted`);
}

/** Waits until the apiserver calls `manager`'s admission webhooks. */
export async function waitUntilWebhooksServe(
  config: KubeConfig,
  manager: ManagerName,
  options: { readonly deadlineMs: number; readonly namespace?: string },
): Promise<void> {
  const api = config.makeApiClient(CustomObjectsApi);
  const probe = PROBES[manager];
  await waitFor(async () => refusedByWebhook(api, probe, options.namespace ?? 'default'), {
    deadlineMs: options.deadlineMs,
    description: `the apiserver to call ${manager}'s admission webhooks`,
  });
}
