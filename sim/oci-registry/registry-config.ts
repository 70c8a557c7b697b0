import { stringify } from 'yaml';

export type RegistryStorage =
  { readonly kind: 'filesystem'; readonly rootDirectory: string } | { readonly kind: 'inmemory' };

export type RegistryAuthConfig =
  | { readonly mode: 'none' }
  | { readonly mode: 'htpasswd'; readonly realm: string; readonly path: string }
  | {
      readonly mode: 'token';
      readonly realm: string;
      readonly service: string;
      readonly issuer: string;
      readonly rootCertBundle: string;
    };

export interface RegistryConfigInput {
  readonly port: number;
  readonly storage: RegistryStorage;
  /** Signs upload state; set so the registry does not warn and generate one. */
  readonly httpSecret: string;
  readonly auth: RegistryAuthConfig;
  readonly logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

function storageSection(storage: RegistryStorage): Record<string, unknown> {
  const common = {
    delete: { enabled: true },
    // No background upload purging: a test registry lives minutes, and it would only add log noise.
    maintenance: { uploadpurging: { enabled: false } },
  };
  if (storage.kind === 'inmemory') return { inmemory: {}, ...common };
  return { filesystem: { rootdirectory: storage.rootDirectory }, ...common };
}

function authSection(auth: RegistryAuthConfig): Record<string, unknown> | undefined {
  switch (auth.mode) {
    case 'none':
      return undefined;
    case 'htpasswd':
      return { htpasswd: { realm: auth.realm, path: auth.path } };
    case 'token':
      return {
        token: {
          realm: auth.realm,
          service: auth.service,
          issuer: auth.issuer,
          rootcertbundle: auth.rootCertBundle,
        },
      };
  }
}

/**
 * Our own configuration for distribution 2.8 (`docker-registry serve <file>`): loopback only,
 * explicit storage and auth. Never rely on the Debian package's default config, whose htpasswd
 * path is a directory.
 */
export function registryConfigYaml(input: RegistryConfigInput): string {
  const auth = authSection(input.auth);
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: input.logLevel ?? 'info', formatter: 'text', fields: { service: 'registry' } },
    storage: storageSection(input.storage),
    http: {
      addr: `127.0.0.1:${input.port}`,
      secret: input.httpSecret,
      headers: { 'X-Content-Type-Options': ['nosniff'] },
    },
    ...(auth ? { auth } : {}),
  };
  return stringify(config);
}
