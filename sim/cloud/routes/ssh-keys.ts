import { createHash } from 'node:crypto';
import { CloudErrorResponse } from '../cloud-error-response.js';
import { jsonBody, labels, optionalString, requiredString } from '../cloud-input.js';
import type { CloudContext, CloudRoute } from '../cloud-route.js';
import type { SshKeyRecord } from '../cloud-project.js';
import { listResponse } from '../list-query.js';
import { timestamp } from '../time.js';

const keyTypes =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)$/;

/** MD5 of the key blob as colon-separated hex (`ssh-keygen -l -E md5`), the API's fingerprint form. */
export function md5Fingerprint(publicKey: string): string | undefined {
  const [type = '', data = ''] = publicKey.trim().split(/\s+/);
  const blob = Buffer.from(data, 'base64');
  if (
    !keyTypes.test(type) ||
    blob.length < 16 ||
    blob.toString('base64').replace(/=+$/, '') !== data.replace(/=+$/, '')
  )
    return undefined;
  return (createHash('md5').update(blob).digest('hex').match(/../g) ?? []).join(':');
}

function render(key: SshKeyRecord): Record<string, unknown> {
  return {
    id: key.id,
    name: key.name,
    fingerprint: key.fingerprint,
    public_key: key.publicKey,
    labels: { ...key.labels },
    created: timestamp(key.created),
  };
}

function keyOf(context: CloudContext): SshKeyRecord {
  const key = /^\d+$/.test(context.params.id ?? '')
    ? context.project.sshKeys.get(Number(context.params.id))
    : undefined;
  if (key === undefined) throw CloudErrorResponse.notFound('SSH key');
  return key;
}

/** `/ssh_keys`: unique names and fingerprints (409 `uniqueness_error`), DELETE → 204. */
export const sshKeyRoutes: readonly CloudRoute[] = [
  {
    method: 'GET',
    path: '/ssh_keys',
    handler: ({ project, url }) => {
      const list = listResponse(
        project.sshKeys.values(),
        url.searchParams,
        {
          key: 'ssh_keys',
          sortFields: { id: (k) => k.id, name: (k) => k.name },
          filters: { fingerprint: (k, values) => values.includes(k.fingerprint) },
          render,
        },
        url,
      );
      return { status: 200, body: list.body, headers: { Link: list.link } };
    },
  },
  {
    method: 'POST',
    path: '/ssh_keys',
    handler: ({ project, body: raw }) => {
      const body = jsonBody(raw);
      const name = requiredString(body, 'name');
      const publicKey = requiredString(body, 'public_key').trim();
      const fingerprint = md5Fingerprint(publicKey);
      if (fingerprint === undefined)
        throw CloudErrorResponse.invalidField('public_key', 'invalid public key');
      const keyLabels = labels(body) ?? {};
      const existing = [...project.sshKeys.values()];
      if (existing.some((k) => k.name === name))
        throw CloudErrorResponse.uniqueness('name', 'SSH key name is already used');
      if (existing.some((k) => k.fingerprint === fingerprint))
        throw CloudErrorResponse.uniqueness('public_key', 'SSH key with the same fingerprint already exists');
      const key: SshKeyRecord = {
        id: project.nextId(),
        name,
        fingerprint,
        publicKey,
        labels: keyLabels,
        created: new Date(),
      };
      project.sshKeys.set(key.id, key);
      return { status: 201, body: { ssh_key: render(key) } };
    },
  },
  {
    method: 'GET',
    path: '/ssh_keys/:id',
    handler: (context) => ({ status: 200, body: { ssh_key: render(keyOf(context)) } }),
  },
  {
    method: 'PUT',
    path: '/ssh_keys/:id',
    handler: (context) => {
      const key = keyOf(context);
      const body = jsonBody(context.body);
      const name = optionalString(body, 'name');
      const newLabels = labels(body);
      if (
        name !== undefined &&
        [...context.project.sshKeys.values()].some((k) => k.name === name && k.id !== key.id)
      )
        throw CloudErrorResponse.uniqueness('name', 'SSH key name is already used');
      if (name !== undefined) key.name = name;
      if (newLabels !== undefined) key.labels = newLabels;
      return { status: 200, body: { ssh_key: render(key) } };
    },
  },
  {
    method: 'DELETE',
    path: '/ssh_keys/:id',
    handler: (context) => {
      context.project.sshKeys.delete(keyOf(context).id);
      return { status: 204 };
    },
  },
];
