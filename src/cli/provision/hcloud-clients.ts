import { HcloudServers } from '../../hetzner/cloud/index.js';
import { HcloudSshKeys } from '../../hetzner/cloud/ssh-keys.js';
import { isCloudError } from '../../ports/cloud-errors.js';
import type { CloudServers } from '../../ports/cloud-servers.js';
import type { CloudSshKeyUploads } from '../../ports/cloud-ssh-keys.js';
import type { Credential } from './credentials.js';
import { ProvisionError } from './provision-errors.js';

export interface HcloudClients {
  readonly servers: CloudServers;
  readonly keys: CloudSshKeyUploads;
}

/** The production Cloud clients for one token; $HCLOUD_ENDPOINT points them elsewhere, as for the controller. */
export function hcloudClients(token: string, env: NodeJS.ProcessEnv): HcloudClients {
  const endpoint = env['HCLOUD_ENDPOINT'];
  const options = { token, ...(endpoint ? { endpoint } : {}) };
  return { servers: new HcloudServers(options), keys: new HcloudSshKeys(options) };
}

/** A refused token as one line naming where it came from (never the token). */
export function refusedToken(error: unknown, token: Credential<string>): unknown {
  if (!isCloudError(error, 'unauthorized') && !isCloudError(error, 'forbidden')) return error;
  return new ProvisionError(
    'CREDENTIALS_REFUSED',
    `the Hetzner Cloud API refused the token from ${token.source} (${error.code}): check that it is a read/write API token of the project`,
    { cause: error },
  );
}
