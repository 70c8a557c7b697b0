/**
 * The serving certificate as cert-manager (and controller-runtime) keep it: `tls.crt` and
 * `tls.key` in one folder, replaced in place when the certificate is renewed.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';

export const CERT_FILE = 'tls.crt';
export const KEY_FILE = 'tls.key';

export interface CertificatePair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** The files cannot be read or do not form a usable certificate and key. */
export class CertificateFilesError extends Error {
  readonly code = 'WEBHOOK_CERTIFICATE_UNUSABLE';
}

async function readPem(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CertificateFilesError(`cannot read the TLS ${what} ${path} (${code})`, { cause: error });
  }
}

/** Reads tls.crt and tls.key from `certDir` and checks that they form a usable pair. */
export async function readCertificatePair(certDir: string): Promise<CertificatePair> {
  const pair = {
    cert: await readPem(join(certDir, CERT_FILE), 'certificate'),
    key: await readPem(join(certDir, KEY_FILE), 'private key'),
  };
  try {
    createSecureContext(pair);
  } catch (error) {
    throw new CertificateFilesError(
      `${CERT_FILE} and ${KEY_FILE} in ${certDir} are not a usable certificate and key: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return pair;
}

/** Serial number and expiry of the leaf certificate, for logs. */
export function describeCertificate(pair: CertificatePair): { serial: string; notAfter: string } {
  try {
    const leaf = new X509Certificate(pair.cert);
    return { serial: leaf.serialNumber, notAfter: new Date(leaf.validTo).toISOString() };
  } catch {
    return { serial: 'unknown', notAfter: 'unknown' };
  }
}

export function samePair(a: CertificatePair, b: CertificatePair): boolean {
  return a.cert.equals(b.cert) && a.key.equals(b.key);
}
