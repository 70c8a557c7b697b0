export {
  createSshRescueSystem,
  defaultSshRescueSettings,
  type SshRescueSettings,
} from './ssh-rescue-system.js';
