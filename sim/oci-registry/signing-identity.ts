import { generateKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import {
  bitString,
  booleanTrue,
  explicit,
  objectIdentifier,
  octetString,
  sequence,
  set,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

const generateKeyPairAsync = promisify(generateKeyPair);

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
/** digitalSignature (bit 0) and keyCertSign (bit 5), with the 2 unused trailing bits declared. */
const KEY_USAGE_BITS = Buffer.from([0x03, 0x02, 0x01, 0x84]);

/** An ES256 key and its self-signed certificate: the token issuer the registry trusts. */
export interface SigningIdentity {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** DER of the certificate; base64 of it goes into the JWT `x5c` header. */
  readonly certificateDer: Buffer;
  /** PEM of the certificate, for the registry's `auth.token.rootcertbundle`. */
  readonly certificatePem: string;
}

export interface SigningIdentityOptions {
  readonly commonName: string;
  readonly now?: Date;
  readonly validDays?: number;
}

function name(commonName: string): Buffer {
  return sequence(set(sequence(objectIdentifier(COMMON_NAME), utf8String(commonName))));
}

function extensions(): Buffer {
  const basicConstraints = sequence(
    objectIdentifier(BASIC_CONSTRAINTS),
    booleanTrue(),
    octetString(sequence(booleanTrue())),
  );
  const keyUsage = sequence(objectIdentifier(KEY_USAGE), booleanTrue(), octetString(KEY_USAGE_BITS));
  return explicit(3, sequence(basicConstraints, keyUsage));
}

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Generates a P-256 key and a self-signed X.509 v3 certificate for it. The certificate is
 * valid from a few minutes in the past (clock skew) for `validDays` (default 365).
 */
export async function createSigningIdentity(options: SigningIdentityOptions): Promise<SigningIdentity> {
  const { privateKey, publicKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const notAfter = new Date(now.getTime() + (options.validDays ?? 365) * 86_400_000);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // positive, as RFC 5280 requires
  const algorithm = sequence(objectIdentifier(ECDSA_WITH_SHA256));
  const subject = name(options.commonName);
  const tbs = sequence(
    explicit(0, unsignedInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    subject,
    sequence(time(notBefore), time(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions(),
  );
  const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature, as X.509 wants
  const certificateDer = sequence(tbs, algorithm, bitString(signature));
  return { privateKey, publicKey, certificateDer, certificatePem: toPem(certificateDer) };
}
