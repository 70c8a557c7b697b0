import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signEs256Jwt } from './jwt.js';
import type { SigningIdentity } from './signing-identity.js';
import { grantAccess, parseScopes } from './token-access.js';
import type { OciAction, ResolvedOciUser } from './users.js';

export interface TokenServerOptions {
  /** The registry's `auth.token.service`; token requests must name it and it becomes `aud`. */
  readonly service: string;
  /** The registry's `auth.token.issuer`; becomes `iss`. */
  readonly issuer: string;
  readonly identity: SigningIdentity;
  readonly users: readonly ResolvedOciUser[];
  /** Whether requests without credentials get a pull-only token (default: they get 401). */
  readonly anonymousPull: boolean;
  readonly ttlSeconds: number;
}

export interface TokenServer {
  /** The `auth.token.realm`, e.g. `http://127.0.0.1:41234/token`. */
  readonly realm: string;
  /** Tokens issued so far (for tests and benchmarks counting round trips). */
  readonly issuedTokens: number;
  close(): Promise<void>;
}

interface Subject {
  readonly name: string;
  readonly allowed: readonly OciAction[];
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

function errorReply(status: number, code: string, message: string): Reply {
  return { status, body: { errors: [{ code, message }] } };
}

function send(response: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (reply.status === 401) headers['www-authenticate'] = 'Basic realm="imageurl registry token server"';
  response.writeHead(reply.status, headers);
  response.end(JSON.stringify(reply.body));
}

function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The subject a request authenticates as; `undefined` means 401. Compares in constant time. */
function authenticate(request: IncomingMessage, options: TokenServerOptions): Subject | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return options.anonymousPull ? { name: '', allowed: ['pull'] } : undefined;
  const credentials = basicCredentials(header);
  if (!credentials) return undefined;
  const user = options.users.find((candidate) => candidate.username === credentials.username);
  const expected = digest(user?.password ?? `unknown user ${randomUUID()}`);
  const matches = timingSafeEqual(expected, digest(credentials.password));
  return user && matches ? { name: user.username, allowed: user.actions } : undefined;
}

class TokenRequestHandler {
  issued = 0;

  constructor(private readonly options: TokenServerOptions) {}

  handle(request: IncomingMessage): Reply {
    const url = new URL(request.url ?? '/', 'http://token.invalid');
    if (url.pathname !== '/token') return errorReply(404, 'NOT_FOUND', 'the token endpoint is /token');
    if (request.method !== 'GET') return errorReply(405, 'UNSUPPORTED', 'only GET /token is supported');
    if (url.searchParams.get('service') !== this.options.service) {
      return errorReply(400, 'INVALID_REQUEST', `service must be ${JSON.stringify(this.options.service)}`);
    }
    const subject = authenticate(request, this.options);
    if (!subject) return errorReply(401, 'UNAUTHORIZED', 'authentication required');
    return { status: 200, body: this.issue(subject, url.searchParams.getAll('scope')) };
  }

  private issue(subject: Subject, scopes: readonly string[]): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const { issuer, service, identity, ttlSeconds } = this.options;
    const claims = {
      iss: issuer,
      sub: subject.name,
      aud: service,
      exp: now + ttlSeconds,
      nbf: now,
      iat: now,
      jti: randomUUID(),
      access: grantAccess(parseScopes(scopes), subject.allowed),
    };
    const token = signEs256Jwt(claims, identity.privateKey, [identity.certificateDer]);
    this.issued += 1;
    const issuedAt = new Date(now * 1000).toISOString();
    return { token, access_token: token, expires_in: ttlSeconds, issued_at: issuedAt };
  }
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/**
 * A Docker registry token server (the `GET /token` flow of the distribution token spec) on a
 * free loopback port: Basic credentials in, an ES256 JWT with the granted `access` out.
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const handler = new TokenRequestHandler(options);
  const server = createServer((request, response) => {
    let reply: Reply;
    try {
      reply = handler.handle(request);
    } catch {
      reply = errorReply(500, 'UNKNOWN', 'token server error');
    }
    send(response, reply);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    get issuedTokens(): number {
      return handler.issued;
    },
    close: () => closeServer(server),
  };
}
