import { sign, type KeyObject } from 'node:crypto';

/** One entry of the `access` claim of a Docker registry token. */
export interface ResourceAccess {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/** The claims CNCF distribution's token access controller reads. */
export interface RegistryTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly exp: number;
  readonly nbf: number;
  readonly iat: number;
  readonly jti: string;
  readonly access: readonly ResourceAccess[];
}

export function base64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * A compact JWS signed with ES256. The signature is the raw `r || s` form JOSE requires (not the
 * DER form X.509 uses). `x5c` carries the signer's certificate chain as standard base64 DER,
 * which is how distribution 2.8 finds and verifies the signing key against its rootcertbundle.
 */
export function signEs256Jwt(
  claims: RegistryTokenClaims,
  key: KeyObject,
  x5c: readonly Uint8Array[],
): string {
  const header = { typ: 'JWT', alg: 'ES256', x5c: x5c.map((der) => Buffer.from(der).toString('base64')) };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${base64url(signature)}`;
}

/** The decoded header and claims of a compact JWS, without verifying anything. */
export function decodeJwt(token: string): { header: unknown; claims: unknown; signature: Buffer } {
  const [header, claims, signature, ...rest] = token.split('.');
  if (header === undefined || claims === undefined || signature === undefined || rest.length > 0) {
    throw new Error('a JWT has exactly three dot-separated parts');
  }
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as unknown,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as unknown,
    signature: Buffer.from(signature, 'base64url'),
  };
}
