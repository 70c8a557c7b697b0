import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A serving certificate and its key (PEM), and its serial number in hex. */
export interface ServingCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly serialNumber: string;
}

/** A throwaway CA for webhooks in tests and the demo: its PEM goes into `caBundle`; it issues serving certificates. */
export interface WebhookCa {
  readonly certPem: string;
  /** A serverAuth certificate for `hosts` (IP addresses or DNS names); default 127.0.0.1 and localhost. */
  issue(hosts?: readonly string[]): Promise<ServingCertificate>;
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + 24 * 3600_000) };
}

/** A positive serial of 16 hex digits without a leading zero (so node:tls prints it the same). */
function serial(): string {
  const bytes = randomBytes(8);
  bytes[0] = ((bytes[0] ?? 0) & 0x6f) | 0x10;
  return bytes.toString('hex');
}

function altName(host: string): x509.JsonGeneralName {
  return /^[\d.]+$|:/.test(host) ? { type: 'ip', value: host } : { type: 'dns', value: host };
}

async function privateKeyPem(keys: webcrypto.CryptoKeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

export async function createWebhookCa(name = 'imageurl-webhook-test-ca'): Promise<WebhookCa> {
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys: caKeys,
    serialNumber: serial(),
    signingAlgorithm: SIGNING,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const issue = async (
    hosts: readonly string[] = ['127.0.0.1', 'localhost'],
  ): Promise<ServingCertificate> => {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const serialNumber = serial();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject: 'CN=webhook-service.system.svc',
      issuer: ca.subject,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: SIGNING,
      ...validity(),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        new x509.SubjectAlternativeNameExtension(hosts.map(altName)),
      ],
    });
    return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys), serialNumber };
  };
  return { certPem: ca.toString('pem'), issue };
}

/** Writes `tls.crt` and `tls.key` (0600) into `certDir`, as cert-manager's Secret volume holds them. */
export async function writeCertDir(certDir: string, serving: ServingCertificate): Promise<void> {
  await mkdir(certDir, { recursive: true });
  await writeFile(join(certDir, 'tls.crt'), `${serving.certPem}\n`);
  await writeFile(join(certDir, 'tls.key'), `${serving.keyPem}\n`, { mode: 0o600 });
}

/** A CA, and a cert folder in `certDir` holding a certificate it issued for 127.0.0.1 and localhost. */
export async function createCertDir(
  certDir: string,
): Promise<{ ca: WebhookCa; serving: ServingCertificate }> {
  const ca = await createWebhookCa();
  const serving = await ca.issue();
  await writeCertDir(certDir, serving);
  return { ca, serving };
}
