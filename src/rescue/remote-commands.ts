import { launcherPath } from './launcher-script.js';
import { lsblkCommandText } from './lsblk.js';

/**
 * The only command lines this adapter ever sends. `RemoteCommand` can be made only here, and
 * SshConnection.exec accepts nothing else, so no code path can send a shell string that was
 * built from a value: values travel on stdin or as uploaded files.
 */
declare const fixedText: unique symbol;
export type RemoteCommand = string & { readonly [fixedText]: true };

const fixed = (text: string): RemoteCommand => text as RemoteCommand;

export const remoteCommands = {
  hostname: fixed('hostname'),
  lsblk: fixed(lsblkCommandText),
  start: fixed(`/bin/bash ${launcherPath} start`),
  status: fixed(`/bin/bash ${launcherPath} status`),
  stop: fixed(`/bin/bash ${launcherPath} stop`),
  reboot: fixed('reboot'),
} as const;
