export { TcpBannerWatch } from './banner-watch.js';
export {
  createSshRescueSystem,
  defaultSshRescueSettings,
  type SshRescueSettings,
} from './ssh-rescue-system.js';
