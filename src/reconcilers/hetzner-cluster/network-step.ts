import type { CloudNetwork } from '../../ports/cloud-networks.js';
import { infraChecks } from './infra-checks.js';
import { labelSelector, networkName } from './infra-naming.js';
import type { StepInput, StepOutcome } from './infra-types.js';

/**
 * CAPH's network service: the network labelled as the cluster's, created (with its one subnet,
 * labelled in the same call) when there is none; `status.networkStatus` from what the API says.
 */
export async function reconcileNetwork(input: StepInput): Promise<StepOutcome> {
  const spec = input.object.spec.hcloudNetwork;
  if (spec?.enabled !== true) {
    delete input.status.networkStatus;
    return {};
  }
  const selector = labelSelector(input.owner);
  const found = await input.cloud.networks.listNetworks({ labelSelector: selector });
  if (found.length > 1) {
    const ids = found.map((network) => network.id).join(', ');
    const message = `found ${found.length} networks labelled ${selector} (IDs ${ids}); delete all but one`;
    return { check: infraChecks.networkFailed(message, 'Error') };
  }
  const network: CloudNetwork =
    found[0] ??
    (await input.cloud.networks.createNetwork({
      name: networkName(input.object),
      ipRange: spec.cidrBlock,
      subnet: { ipRange: spec.subnetCidrBlock, networkZone: spec.networkZone },
      labels: input.owner,
    }));
  if (found.length === 0) {
    const note = `Created network ${network.name} (ID ${network.id}, ${spec.cidrBlock}, subnet ${spec.subnetCidrBlock})`;
    input.event({ type: 'Normal', reason: 'NetworkCreated', note });
  }
  input.status.networkStatus = { id: network.id, attachedServers: [...network.servers] };
  return { check: infraChecks.networkReady() };
}
