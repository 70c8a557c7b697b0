import type { HCloudRemediationSpec, HCloudRemediationStatus } from '../../../api/v1beta1/index.js';
import type { Condition, MetaCondition } from '../../../api/v1beta1/common.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import type { Clock } from '../../ports/clock.js';
import type { CloudServerReboots } from '../../ports/cloud-servers.js';
import type { KnownSecrets } from '../../util/known-secrets.js';

export interface HCloudRemediationObject extends KubeObject {
  spec?: HCloudRemediationSpec;
  status?: HCloudRemediationStatus;
}

/** The Cluster API Machine (v1beta2) as remediation reads and writes it. */
export interface RemediatedMachine extends KubeObject {
  spec?: {
    clusterName?: string;
    infrastructureRef?: { apiGroup?: string; kind?: string; name?: string };
  };
  status?: {
    conditions?: MetaCondition[];
    deprecated?: { v1beta1?: { conditions?: Condition[] } };
  };
}

/** What the HCloudRemediation reconciler is built from (all injected by the composition root). */
export interface HCloudRemediationDeps {
  readonly client: KubeClient;
  /** The reboot side of the Cloud client of one hcloud token (one client per token). */
  readonly rebootsFor: (token: string) => CloudServerReboots;
  readonly clock: Clock;
  /** Told every Secret value read, for the process's redactor. */
  readonly knownSecrets?: KnownSecrets;
}
