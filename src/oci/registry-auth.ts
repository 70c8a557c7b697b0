import { readBoundedText } from '../util/bounded-body.js';
import { OciError, responseError } from './oci-errors.js';

/**
 * Credentials in the form the image-url-commands take them from OCI_REGISTRY_AUTH_TOKEN:
 * `user:password` (Basic, and for the Bearer token exchange) or a bare token (sent as Bearer).
 */
export type RegistryCredentials =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'token'; readonly token: string };

export function parseRegistryCredentials(value: string | undefined): RegistryCredentials | undefined {
  if (value === undefined || value === '') return undefined;
  const colon = value.indexOf(':');
  if (colon < 0) return { kind: 'token', token: value };
  return { kind: 'basic', username: value.slice(0, colon), password: value.slice(colon + 1) };
}

interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

function parseChallenge(header: string | null): Challenge | undefined {
  const match = /^(\w+)\s+(.*)$/s.exec(header?.trim() ?? '');
  if (match?.[1] === undefined) return undefined;
  const params = Object.fromEntries(
    [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  return { scheme: match[1].toLowerCase(), params };
}

function basic(credentials: RegistryCredentials): string | undefined {
  if (credentials.kind !== 'basic') return undefined;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/**
 * The Authorization header answering a registry's 401 challenge: Basic directly, or a token
 * from the Bearer realm for `scope` (the distribution token flow docker and oras use).
 */
export async function answerChallenge(
  response: Response,
  credentials: RegistryCredentials | undefined,
  scope: string,
): Promise<string> {
  const challenge = parseChallenge(response.headers.get('www-authenticate'));
  if (credentials === undefined) {
    throw new OciError(
      'OCI_UNAUTHORIZED',
      'the registry requires credentials; set OCI_REGISTRY_AUTH_TOKEN (user:password or a token)',
    );
  }
  if (challenge?.scheme === 'basic') return basicAnswer(credentials);
  if (challenge?.scheme !== 'bearer' || challenge.params['realm'] === undefined) {
    throw new OciError(
      'OCI_UNAUTHORIZED',
      `the registry answered 401 without a usable challenge (${challenge?.scheme ?? 'none'})`,
    );
  }
  if (credentials.kind === 'token') return `Bearer ${credentials.token}`;
  return `Bearer ${await fetchToken(challenge.params, credentials, scope)}`;
}

function basicAnswer(credentials: RegistryCredentials): string {
  const header = basic(credentials);
  if (header === undefined)
    throw new OciError('OCI_UNAUTHORIZED', 'the registry wants user:password credentials, got a bare token');
  return header;
}

async function fetchToken(
  params: Readonly<Record<string, string>>,
  credentials: RegistryCredentials,
  scope: string,
): Promise<string> {
  const url = new URL(params['realm'] ?? '');
  if (params['service'] !== undefined) url.searchParams.set('service', params['service']);
  url.searchParams.set('scope', scope);
  const response = await fetch(url, { headers: { authorization: basic(credentials) ?? '' } });
  if (!response.ok) throw await responseError('getting a registry token', response);
  // A token answer is a few KiB; a larger one is not a token service's.
  const text = await readBoundedText(response, 1024 * 1024).catch((error: unknown) => {
    throw new OciError('OCI_REGISTRY_ERROR', `the token service answered with more than 1 MiB`, {
      cause: error,
    });
  });
  const body = parseTokenBody(text);
  const token = body.token ?? body.access_token;
  if (token === undefined)
    throw new OciError('OCI_UNAUTHORIZED', 'the token service answered without a token');
  return token;
}

function parseTokenBody(text: string): { token?: string; access_token?: string } {
  try {
    return JSON.parse(text) as { token?: string; access_token?: string };
  } catch (error) {
    throw new OciError('OCI_REGISTRY_ERROR', 'the token service answered with something other than JSON', {
      cause: error,
    });
  }
}
