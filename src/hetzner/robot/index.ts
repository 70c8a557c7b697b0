export { HrobotServers } from './hrobot-servers.js';
export {
  RobotRequestBudget,
  type RobotGroupBudgetState,
  type RobotRequestBudgetOptions,
} from './request-budget.js';
export { robotHourlyLimits, type RobotEndpointGroup } from './robot-endpoints.js';
export { sshKeyFingerprint } from './ssh-key-fingerprint.js';
export { defaultRobotEndpoint, type RobotTransportOptions } from './transport-options.js';
export type { RobotApiObserver, RobotWaitCause } from '../../ports/robot-api-observer.js';
