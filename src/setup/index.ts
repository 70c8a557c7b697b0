export type { ControllerSettings, ControllerWebhook } from './controller-settings.js';
export { runController } from './run-controller.js';
export {
  ControllerUsernameError,
  resolveControllerUsername,
  resolveControllerUsernameFrom,
} from './controller-username.js';
