import { z } from 'zod';

/** `host` or `host:port`, a DNS name or an IP address (IPv6 in brackets); no scheme, path or userinfo. */
const REGISTRY_HOST_PATTERN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]{1,5})?$/;

/**
 * imageurl's own HetznerCluster field (CAPH has no such field): registry credentials of one
 * cluster, kept in a Secret of the cluster's namespace and given to image-url-commands as
 * `OCI_REGISTRY_AUTH_TOKEN` only when their imageURL names one of `hosts`.
 */
export const OCIRegistryAuthSchema = z
  .object({
    secretRef: z
      .object({
        name: z
          .string()
          .min(1)
          .max(253)
          .describe('Name of the Secret, in the namespace of the HetznerCluster.'),
        key: z
          .string()
          .min(1)
          .default('OCI_REGISTRY_AUTH_TOKEN')
          .describe('Key of the Secret data holding the credentials (`user:password` or a token).'),
      })
      .describe('The Secret holding the registry credentials.'),
    hosts: z
      .array(z.string().min(1).max(261).regex(REGISTRY_HOST_PATTERN))
      .min(1)
      .describe(
        'Registry hosts (`host` or `host:port`, e.g. ghcr.io) the credentials are for; a command ' +
          'whose imageURL names another host does not get them.',
      ),
  })
  .describe(
    'Registry credentials of this cluster. They take precedence over the controller’s ' +
      'OCI_REGISTRY_AUTH_TOKEN for the hosts they name (imageurl’s own field).',
  );
export type OCIRegistryAuth = z.infer<typeof OCIRegistryAuthSchema>;
