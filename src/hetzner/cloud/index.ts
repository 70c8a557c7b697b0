export { HcloudServers, type HcloudServersOptions } from './hcloud-servers.js';
export type { RequestBudgetState } from './request-budget.js';
export type { RequestSchedulerState } from './request-scheduler.js';
export type { HcloudCallRecord, HcloudTransportOptions } from './transport-options.js';
export { defaultEndpoint } from './transport-options.js';
export { HcloudTransport } from './hcloud-transport.js';
export { HcloudNetworks } from './hcloud-networks.js';
export { HcloudPlacementGroups } from './hcloud-placement-groups.js';
export { HcloudLoadBalancers } from './hcloud-load-balancers.js';
