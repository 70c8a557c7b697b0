import type { CloudSshKeyUploads } from '../../ports/cloud-ssh-keys.js';
import type { LoginKey } from './ssh-key.js';

/** The label on everything `imageurl provision` creates, with the provision's name as value. */
export const PROVISION_LABEL = 'imageurl.io/provision';

/** The name under which this tool uploads a provision's key. */
export const uploadedKeyName = (name: string): string => `imageurl-provision-${name}`;

export interface ProjectKey {
  /** The name the server and its rescue system are given the key by. */
  readonly name: string;
  /** Set when this tool uploaded it: `provision delete` removes it then, and only then. */
  readonly uploaded?: { readonly id: number; readonly name: string };
}

/**
 * The project's key with the login key's fingerprint, uploaded first when there is none. A key
 * under our own name is ours even when an earlier run was killed before it could record it.
 * The listing is also the first call with the token, so a wrong token fails here.
 */
export async function ensureProjectKey(
  keys: CloudSshKeyUploads,
  login: LoginKey,
  name: string,
): Promise<ProjectKey> {
  const ownName = uploadedKeyName(name);
  const found = (await keys.listSshKeys()).find((key) => key.fingerprint === login.fingerprint);
  const key =
    found ??
    (await keys.createSshKey({
      name: ownName,
      publicKey: login.publicKey,
      labels: { [PROVISION_LABEL]: name },
    }));
  return key.name === ownName
    ? { name: key.name, uploaded: { id: key.id, name: key.name } }
    : { name: key.name };
}
