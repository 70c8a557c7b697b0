import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { base64url, decodeJwt, signEs256Jwt, type RegistryTokenClaims } from './jwt.js';

const claims: RegistryTokenClaims = {
  iss: 'issuer',
  sub: 'alice',
  aud: 'registry',
  exp: 1_000_300,
  nbf: 1_000_000,
  iat: 1_000_000,
  jti: 'abc',
  access: [{ type: 'repository', name: 'foo/bar', actions: ['pull'] }],
};

describe('signEs256Jwt', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('produces three base64url parts without padding', () => {
    const token = signEs256Jwt(claims, privateKey, [Buffer.from('cert')]);
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('carries the header with x5c in standard base64 and the claims unchanged', () => {
    const der = Buffer.from([0xfb, 0xff, 0x01]); // encodes differently in base64 and base64url
    const { header, claims: decoded } = decodeJwt(signEs256Jwt(claims, privateKey, [der]));
    assert.deepEqual(header, { typ: 'JWT', alg: 'ES256', x5c: ['+/8B'] });
    assert.deepEqual(decoded, claims);
  });

  it('signs with a 64-byte r||s signature that verifies over the signing input', () => {
    const token = signEs256Jwt(claims, privateKey, []);
    const { signature } = decodeJwt(token);
    assert.equal(signature.length, 64);
    const signingInput = token.slice(0, token.lastIndexOf('.'));
    assert.ok(
      verify('sha256', Buffer.from(signingInput), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    );
  });
});

describe('base64url', () => {
  it('uses the URL alphabet without padding', () => {
    assert.equal(base64url(Buffer.from([0xfb, 0xff])), '-_8');
  });
});

describe('decodeJwt', () => {
  it('rejects tokens that do not have three parts', () => {
    assert.throws(() => decodeJwt('a.b'), /three dot-separated parts/);
  });
});
