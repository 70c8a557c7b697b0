import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, webcrypto, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { issue, loadAuthority, type IssuedPair } from './cluster-pki.js';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/**
 * A CA as Go 1.25+ (Cluster API's build) makes one: its subject key identifier is the first
 * 160 bits of SHA-256 over the public key (RFC 7093), not the SHA-1 older tools use.
 */
async function goStyleAuthority(): Promise<IssuedPair> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'der' });
  const keyId = createHash('sha256').update(pkcs1).digest('hex').slice(0, 40);
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    privateKey.export({ type: 'pkcs8', format: 'der' }),
    RSA,
    false,
    ['sign'],
  );
  const verifyKey = await webcrypto.subtle.importKey(
    'spki',
    publicKey.export({ type: 'spki', format: 'der' }),
    RSA,
    true,
    ['verify'],
  );
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=kubernetes',
    keys: { privateKey: signingKey, publicKey: verifyKey },
    signingAlgorithm: RSA,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3_600_000),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      new x509.SubjectKeyIdentifierExtension(keyId),
    ],
  });
  return {
    certPem: cert.toString('pem'),
    keyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

describe('cluster PKI: certificates signed with the cluster CA from the bootstrap data', () => {
  it('a leaf names the CA by the CA’s own key identifier, so TLS clients find its issuer', async () => {
    const ca = await goStyleAuthority();
    const leaf = await issue(await loadAuthority(ca.certPem, ca.keyPem), {
      subject: 'CN=kube-apiserver',
      usage: 'server',
      dnsNames: ['kubernetes'],
    });
    const issuer = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(leaf.certPem);
    // OpenSSL's issuer check compares the authority key identifier with the CA's subject key id.
    assert.ok(cert.checkIssued(issuer), 'the leaf is recognised as issued by the CA');
    assert.ok(cert.verify(issuer.publicKey), 'and is signed by its key');
  });
});
