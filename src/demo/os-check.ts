import { setTimeout as delay } from 'node:timers/promises';
import { remoteCommands } from '../rescue/remote-commands.js';
import { SshConnection } from '../rescue/ssh-connection.js';

/** What answered SSH on a provisioned machine's address. */
export interface OsCheck {
  readonly machine: string;
  readonly address: string;
  readonly hostname: string;
}

/**
 * Logs in to the installed OS with the key the demo's test image authorizes and asks its
 * hostname, which the OS took from the bootstrap data the command placed. OperatingSystemRunning
 * means the Cloud API reports the server running (as CAPH decides it); the OS may still be
 * booting, so this tries again until `deadlineMs`. The host key is new at every boot and the
 * server is a local simulator, so it is not pinned here.
 */
export async function checkInstalledOs(
  target: { readonly machine: string; readonly address: string; readonly privateKey: string },
  deadlineMs = 30_000,
): Promise<OsCheck> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      const hostname = await askHostname(target.address, target.privateKey);
      if (hostname === target.machine || Date.now() >= deadline) {
        return { machine: target.machine, address: target.address, hostname };
      }
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await delay(500);
  }
}

async function askHostname(address: string, privateKey: string): Promise<string> {
  const connection = await SshConnection.open({
    host: address,
    port: 22,
    privateKey,
    readyTimeoutMs: 5_000,
    keepaliveIntervalMs: 5_000,
    keepaliveCountMax: 3,
  });
  try {
    return (await connection.exec(remoteCommands.hostname, { timeoutMs: 10_000 })).stdout.trim();
  } finally {
    await connection.close();
  }
}
