export {
  ClusterApiManagers,
  startClusterApiManagers,
  type ClusterApiManagersOptions,
  type RunningManager,
} from './managers.js';
export {
  findClusterApiManagers,
  MANAGER_NAMES,
  type ClusterApiManagerAssets,
  type ManagerName,
} from './manager-assets.js';
export { servedComponents, type ServedComponents, type WebhookEndpoint } from './components.js';
export { substitute, variablesIn, type VariableUse } from './clusterctl-variables.js';
export { formatNodeTable, listWorkloadNodes, type WorkloadNodeRow } from './workload-nodes.js';
