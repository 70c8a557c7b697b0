import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

type KeyPair = webcrypto.CryptoKeyPair;

/** Where the control plane's certificates and keys were written (PEM files). */
export interface PkiFiles {
  /** CA that signed the apiserver's serving certificate (clients verify the server with it). */
  readonly servingCa: string;
  readonly servingCert: string;
  readonly servingKey: string;
  /** CA the apiserver trusts for client certificates (--client-ca-file). */
  readonly clientCa: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly serviceAccountPublicKey: string;
  readonly serviceAccountPrivateKey: string;
}

/** PEM text for the kubeconfig, plus the files for the apiserver's flags. */
export interface ControlPlanePki {
  readonly files: PkiFiles;
  readonly servingCaPem: string;
  readonly adminCertPem: string;
  readonly adminKeyPem: string;
}

export const ADMIN_USER = 'imageurl-admin';
export const ADMIN_GROUP = 'system:masters';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const VALIDITY_MS = 7 * 24 * 3600 * 1000;

x509.cryptoProvider.set(webcrypto);

async function newKeyPair(): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + VALIDITY_MS) };
}

interface Authority {
  readonly cert: x509.X509Certificate;
  readonly keys: KeyPair;
}

async function newAuthority(name: string): Promise<Authority> {
  const keys = await newKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    keys,
    signingAlgorithm: SIGNING,
    ...validity(),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

interface LeafRequest {
  readonly subject: string;
  readonly usage: x509.ExtendedKeyUsage;
  readonly altNames?: x509.JsonGeneralName[];
}

async function newLeaf(ca: Authority, request: LeafRequest): Promise<Authority> {
  const keys = await newKeyPair();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([request.usage]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (request.altNames) extensions.push(new x509.SubjectAlternativeNameExtension(request.altNames));
  const cert = await x509.X509CertificateGenerator.create({
    subject: request.subject,
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGNING,
    ...validity(),
    extensions,
  });
  return { cert, keys };
}

async function privateKeyPem(keys: KeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function publicKeyPem(keys: KeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey('spki', keys.publicKey);
  return x509.PemConverter.encode(der, 'PUBLIC KEY');
}

async function writePem(path: string, pem: string, secret: boolean): Promise<string> {
  await writeFile(path, pem.endsWith('\n') ? pem : `${pem}\n`, { mode: secret ? 0o600 : 0o644 });
  return path;
}

/**
 * Creates a throwaway PKI in `dir`: a serving CA and the apiserver's serving certificate
 * (localhost, 127.0.0.1), a client CA and an admin client certificate (CN=imageurl-admin,
 * O=system:masters), and a service-account signing key pair. ECDSA P-256; private keys 0600.
 */
export async function createControlPlanePki(dir: string): Promise<ControlPlanePki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const servingCa = await newAuthority('imageurl-control-plane-ca');
  const clientCa = await newAuthority('imageurl-client-ca');
  const serving = await newLeaf(servingCa, {
    subject: 'CN=kube-apiserver',
    usage: x509.ExtendedKeyUsage.serverAuth,
    altNames: [
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
    ],
  });
  const admin = await newLeaf(clientCa, {
    subject: `CN=${ADMIN_USER}, O=${ADMIN_GROUP}`,
    usage: x509.ExtendedKeyUsage.clientAuth,
  });
  const serviceAccount = await newKeyPair();
  const servingCaPem = servingCa.cert.toString('pem');
  const adminCertPem = admin.cert.toString('pem');
  const adminKeyPem = await privateKeyPem(admin.keys);
  const files: PkiFiles = {
    servingCa: await writePem(join(dir, 'serving-ca.crt'), servingCaPem, false),
    servingCert: await writePem(join(dir, 'apiserver.crt'), serving.cert.toString('pem'), false),
    servingKey: await writePem(join(dir, 'apiserver.key'), await privateKeyPem(serving.keys), true),
    clientCa: await writePem(join(dir, 'client-ca.crt'), clientCa.cert.toString('pem'), false),
    adminCert: await writePem(join(dir, 'admin.crt'), adminCertPem, false),
    adminKey: await writePem(join(dir, 'admin.key'), adminKeyPem, true),
    serviceAccountPublicKey: await writePem(
      join(dir, 'sa-signer.pub'),
      await publicKeyPem(serviceAccount),
      false,
    ),
    serviceAccountPrivateKey: await writePem(
      join(dir, 'sa-signer.key'),
      await privateKeyPem(serviceAccount),
      true,
    ),
  };
  return { files, servingCaPem, adminCertPem, adminKeyPem };
}
