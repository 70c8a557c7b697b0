import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { objectIdentifier, time, unsignedInteger } from './der.js';
import { createSigningIdentity } from './signing-identity.js';

describe('der', () => {
  it('encodes object identifiers with multi-byte arcs', () => {
    assert.equal(objectIdentifier('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
  });

  it('keeps integers positive and minimal', () => {
    assert.equal(unsignedInteger(2).toString('hex'), '020102');
    assert.equal(unsignedInteger(Buffer.from([0x00, 0x00, 0x80])).toString('hex'), '02020080');
    assert.equal(unsignedInteger(0x1234).toString('hex'), '02021234');
  });

  it('uses UTCTime before 2050 and GeneralizedTime from 2050', () => {
    assert.equal(time(new Date('2026-01-02T03:04:05Z')).subarray(2).toString(), '260102030405Z');
    assert.equal(time(new Date('2051-01-02T03:04:05Z')).subarray(2).toString(), '20510102030405Z');
  });
});

describe('createSigningIdentity', () => {
  it('makes a self-signed certificate that OpenSSL parses and verifies', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const identity = await createSigningIdentity({ commonName: 'imageurl token issuer', now, validDays: 2 });
    const certificate = new X509Certificate(identity.certificatePem);
    assert.equal(certificate.subject, 'CN=imageurl token issuer');
    assert.equal(certificate.issuer, certificate.subject);
    assert.ok(certificate.ca);
    assert.ok(certificate.checkIssued(certificate));
    assert.ok(certificate.verify(identity.publicKey));
    assert.equal(new Date(certificate.validFrom).toISOString(), '2026-03-01T11:55:00.000Z');
    assert.equal(new Date(certificate.validTo).toISOString(), '2026-03-03T12:00:00.000Z');
    assert.deepEqual(certificate.raw, identity.certificateDer);
    assert.ok(certificate.publicKey.equals(identity.publicKey));
  });
});
