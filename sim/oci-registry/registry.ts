import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { freePort } from '../process/free-port.js';
import { ProcessGroup } from '../process/process-group.js';
import type { SupervisedProcess } from '../process/supervised-process.js';
import { waitFor } from '../process/wait-for.js';
import { findExecutable, htpasswdEntry } from './executables.js';
import { registryConfigYaml, type RegistryAuthConfig, type RegistryStorage } from './registry-config.js';
import { createSigningIdentity } from './signing-identity.js';
import { startTokenServer, type TokenServer } from './token-server.js';
import { resolveUsers, type OciAuthMode, type OciUser, type ResolvedOciUser } from './users.js';

export interface OciRegistryOptions {
  /** `htpasswd`: Basic auth; `token`: Bearer tokens from our in-process token server. */
  readonly auth: OciAuthMode;
  /** Default: one user `imageurl` with a random password. Not allowed with auth `none`. */
  readonly users?: readonly OciUser[];
  /** Default `filesystem` in the registry's temp dir; `inmemory` is lost on stop. */
  readonly storage?: 'filesystem' | 'inmemory';
  /** Token auth only: requests without credentials get a pull-only token. Default false (401). */
  readonly anonymousPull?: boolean;
  /** Token auth only: token lifetime, default 300 s. */
  readonly tokenTtlSeconds?: number;
  /** Where the registry's temp dir is made; default the OS temp dir. */
  readonly parentDir?: string;
  /** Default 20 s. */
  readonly readyDeadlineMs?: number;
  /** Default: `docker-registry` looked up on PATH (Debian package docker-registry). */
  readonly registryCommand?: string;
}

export interface OciTokenService {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly issuedTokens: number;
}

export interface OciRegistry {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>`, as it appears in image references. */
  readonly host: string;
  readonly auth: OciAuthMode;
  readonly users: readonly ResolvedOciUser[];
  /** The temp dir holding config, credentials and (filesystem storage) the blobs. */
  readonly directory: string;
  readonly pid: number | undefined;
  /** Present with token auth. */
  readonly token: OciTokenService | undefined;
  /** The registry's recent log output, for failing tests. */
  output(): string;
  /** Stops the registry and the token server and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const SERVICE = 'imageurl-oci-registry';
const ISSUER = 'imageurl-oci-token-issuer';
const START_ATTEMPTS = 3;

class RegistryRun implements OciRegistry {
  directory = '';
  port = 0;
  tokenServer: TokenServer | undefined;
  process: SupervisedProcess | undefined;
  readonly group = new ProcessGroup();
  private stopping: Promise<void> | undefined;

  constructor(
    readonly auth: OciAuthMode,
    readonly users: readonly ResolvedOciUser[],
  ) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get url(): string {
    return `http://${this.host}`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get token(): OciTokenService | undefined {
    const server = this.tokenServer;
    if (!server) return undefined;
    return {
      realm: server.realm,
      service: SERVICE,
      issuer: ISSUER,
      get issuedTokens(): number {
        return server.issuedTokens;
      },
    };
  }

  output(): string {
    return this.process?.output.text() ?? '';
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopEverything();
    return this.stopping;
  }

  private async stopEverything(): Promise<void> {
    await this.group.stopAll();
    await this.tokenServer?.close();
    if (this.directory) await rm(this.directory, { recursive: true, force: true });
  }
}

async function writeSecretFile(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
}

async function prepareAuth(run: RegistryRun, options: OciRegistryOptions): Promise<RegistryAuthConfig> {
  if (run.auth === 'htpasswd') {
    const htpasswd = await findExecutable('htpasswd', 'apache2-utils');
    const entries = await Promise.all(run.users.map((user) => htpasswdEntry(htpasswd, user)));
    const path = join(run.directory, 'htpasswd');
    await writeSecretFile(path, `${entries.join('\n')}\n`);
    return { mode: 'htpasswd', realm: SERVICE, path };
  }
  if (run.auth === 'token') {
    const identity = await createSigningIdentity({ commonName: ISSUER });
    const rootCertBundle = join(run.directory, 'token-root.pem');
    await writeFile(rootCertBundle, identity.certificatePem, { mode: 0o644 });
    run.tokenServer = await startTokenServer({
      service: SERVICE,
      issuer: ISSUER,
      identity,
      users: run.users,
      anonymousPull: options.anonymousPull ?? false,
      ttlSeconds: options.tokenTtlSeconds ?? 300,
    });
    return { mode: 'token', realm: run.tokenServer.realm, service: SERVICE, issuer: ISSUER, rootCertBundle };
  }
  return { mode: 'none' };
}

/** Polls `GET /v2/` until it answers 200 or 401; `exited` if the registry died meanwhile. */
async function probeV2(run: RegistryRun, member: SupervisedProcess): Promise<'ready' | 'exited' | undefined> {
  if (!member.running) return 'exited';
  const response = await fetch(`${run.url}/v2/`, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.status === 200 || response.status === 401 ? 'ready' : undefined;
}

/** Starts the registry on a fresh port; `false` when the port was taken meanwhile (retry). */
async function launch(
  run: RegistryRun,
  command: string,
  configYaml: (port: number) => string,
  deadlineMs: number,
): Promise<boolean> {
  run.port = await freePort('127.0.0.1');
  const configPath = join(run.directory, 'config.yml');
  await writeSecretFile(configPath, configYaml(run.port)); // holds the http secret
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: run.directory, TMPDIR: run.directory };
  const member = run.group.start({
    name: 'docker-registry',
    command,
    args: ['serve', configPath],
    env,
    cwd: run.directory,
  });
  run.process = member;
  const state = await waitFor(() => probeV2(run, member), {
    deadlineMs,
    description: `docker-registry on ${run.url}/v2/`,
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}; last output:\n${member.output.text() || '(none)'}`, { cause: error });
  });
  if (state === 'ready') return true;
  await run.group.stopMember(member);
  if (/address already in use/i.test(member.output.text())) return false;
  throw member.exitedError();
}

async function prepareStorage(run: RegistryRun, options: OciRegistryOptions): Promise<RegistryStorage> {
  if (options.storage === 'inmemory') return { kind: 'inmemory' };
  const rootDirectory = join(run.directory, 'data');
  await mkdir(rootDirectory, { mode: 0o700 });
  return { kind: 'filesystem', rootDirectory };
}

async function startRegistryProcess(
  run: RegistryRun,
  options: OciRegistryOptions,
  auth: RegistryAuthConfig,
): Promise<void> {
  const command = options.registryCommand ?? (await findExecutable('docker-registry', 'docker-registry'));
  const httpSecret = randomBytes(24).toString('base64url');
  const storage = await prepareStorage(run, options);
  const configYaml = (port: number): string => registryConfigYaml({ port, storage, httpSecret, auth });
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt += 1) {
    if (await launch(run, command, configYaml, options.readyDeadlineMs ?? 20_000)) return;
  }
  throw new Error(
    `docker-registry could not get a free port in ${START_ATTEMPTS} attempts; last output:\n${run.output()}`,
  );
}

/**
 * Starts Debian's `docker-registry` (CNCF distribution 2.8) on a free loopback port with our own
 * config, optional htpasswd or token auth, and storage in a private temp dir. Resolves once
 * `GET /v2/` answers. On failure everything already started or written is removed again.
 * Secrets reach the registry and htpasswd only through files (0600) and stdin.
 */
export async function startOciRegistry(options: OciRegistryOptions): Promise<OciRegistry> {
  const run = new RegistryRun(options.auth, resolveUsers(options.auth, options.users));
  if (options.registryCommand !== undefined && !isAbsolute(options.registryCommand)) {
    throw new Error(`registryCommand ${JSON.stringify(options.registryCommand)} must be an absolute path`);
  }
  try {
    run.directory = await mkdtemp(join(options.parentDir ?? tmpdir(), 'imageurl-oci-registry-'));
    const auth = await prepareAuth(run, options);
    await startRegistryProcess(run, options, auth);
    return run;
  } catch (error) {
    await run.stop();
    throw error;
  }
}
