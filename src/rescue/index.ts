export { TcpBannerWatch } from './banner-watch.js';
export { SshHostKeyWatch } from './host-key-watch.js';
export {
  createSshRescueSystem,
  defaultSshRescueSettings,
  type SshRescueSettings,
} from './ssh-rescue-system.js';
