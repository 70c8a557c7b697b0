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
