import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  /** Cluster, user and context name. */
  readonly name: string;
  readonly server: string;
  readonly caPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
}

function base64(pem: string): string {
  return Buffer.from(pem).toString('base64');
}

/** A self-contained kubeconfig (certificates embedded) for one cluster, user and context. */
export function kubeconfigYaml(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: input.name,
        cluster: { server: input.server, 'certificate-authority-data': base64(input.caPem) },
      },
    ],
    users: [
      {
        name: input.name,
        user: {
          'client-certificate-data': base64(input.clientCertPem),
          'client-key-data': base64(input.clientKeyPem),
        },
      },
    ],
    contexts: [{ name: input.name, context: { cluster: input.name, user: input.name } }],
    'current-context': input.name,
    preferences: {},
  });
}

/** Writes the kubeconfig readable by its owner only (it holds a private key). */
export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<string> {
  await writeFile(path, kubeconfigYaml(input), { mode: 0o600 });
  return path;
}
