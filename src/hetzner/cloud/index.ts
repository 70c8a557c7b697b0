export { HcloudServers, type HcloudServersOptions } from './hcloud-servers.js';
export type { RequestBudgetState } from './request-budget.js';
export type { HcloudCallRecord, HcloudTransportOptions } from './transport-options.js';
export { defaultEndpoint } from './transport-options.js';
