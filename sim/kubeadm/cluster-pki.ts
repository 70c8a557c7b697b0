import { createHash, createPrivateKey, generateKeyPairSync, webcrypto, X509Certificate } from 'node:crypto';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

/** A CA whose key signs what kubeadm would sign with it (cluster CA from the bootstrap data). */
export interface Authority {
  readonly cert: x509.X509Certificate;
  readonly certPem: string;
  readonly privateKey: webcrypto.CryptoKey;
  /** How certificates are signed with `privateKey` (RSA PKCS#1 v1.5 or ECDSA, SHA-256). */
  readonly signing: { readonly name: string; readonly hash: string };
}

export interface IssuedPair {
  readonly certPem: string;
  readonly keyPem: string;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const VALIDITY_MS = 365 * 24 * 3600 * 1000;

/** Loads a CA from PEM (RSA keys in PKCS#1 as Cluster API writes them, or PKCS#8; or EC). */
export async function loadAuthority(certPem: string, keyPem: string): Promise<Authority> {
  const key = createPrivateKey(keyPem);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const rsa = key.asymmetricKeyType === 'rsa';
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, rsa ? RSA : EC, false, ['sign']);
  return {
    cert: new x509.X509Certificate(certPem),
    certPem,
    privateKey,
    signing: rsa ? RSA : { name: 'ECDSA', hash: 'SHA-256' },
  };
}

/** A fresh self-signed RSA CA in Cluster API's format (what a test puts into bootstrap data). */
export async function newAuthorityPem(commonName: string): Promise<IssuedPair> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const signingKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['sign']);
  const jwk = await webcrypto.subtle.exportKey('jwk', signingKey);
  const publicKey = await webcrypto.subtle.importKey(
    'jwk',
    { kty: jwk.kty, n: jwk.n, e: jwk.e } as webcrypto.JsonWebKey,
    algorithm,
    true,
    ['verify'],
  );
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${commonName}`,
    keys: { privateKey: signingKey, publicKey },
    signingAlgorithm: algorithm,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem };
}

/** An RSA key pair as Cluster API writes the service-account key: `sa.key` (PKCS#1) and `sa.pub`. */
export function newServiceAccountKeyPem(): { keyPem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    keyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface LeafRequest {
  /** e.g. `CN=system:node:n1, O=system:nodes` */
  readonly subject: string;
  readonly usage: 'server' | 'client';
  readonly dnsNames?: readonly string[];
  readonly ips?: readonly string[];
}

/** A new ECDSA key and a certificate for it signed by `ca`. */
export async function issue(ca: Authority, request: LeafRequest): Promise<IssuedPair> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const altNames: x509.JsonGeneralName[] = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const usage =
    request.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth;
  const cert = await x509.X509CertificateGenerator.create({
    subject: request.subject,
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: ca.signing,
    serialNumber: serial(),
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([usage]),
      await authorityKeyIdentifier(ca.cert),
      ...(altNames.length > 0 ? [new x509.SubjectAlternativeNameExtension(altNames)] : []),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/**
 * The CA's own subject key identifier when it has one. Verifiers (OpenSSL, Go) match a leaf's
 * authority key identifier against it, and CAs compute theirs differently: Go 1.25+, which
 * builds Cluster API, uses truncated SHA-256 (RFC 7093), @peculiar/x509 computes SHA-1.
 */
async function authorityKeyIdentifier(
  ca: x509.X509Certificate,
): Promise<x509.AuthorityKeyIdentifierExtension> {
  const own = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  return own
    ? new x509.AuthorityKeyIdentifierExtension(own.keyId)
    : x509.AuthorityKeyIdentifierExtension.create(ca);
}

/** A PKCS#10 request (ECDSA P-256), as the kubelet makes for its client certificate. */
export async function certificateRequest(subject: string): Promise<{ csrPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subject,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  return { csrPem: csr.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** kubeadm's CA pin: `sha256:` + hex SHA-256 of the certificate's SubjectPublicKeyInfo. */
export function caCertHash(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + VALIDITY_MS) };
}

function serial(): string {
  return `01${webcrypto.getRandomValues(new Uint8Array(12)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '')}`;
}
