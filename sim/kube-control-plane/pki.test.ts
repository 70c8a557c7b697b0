import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createControlPlanePki, type ControlPlanePki } from './pki.js';

let dir: string;
let pki: ControlPlanePki;

async function cert(path: string): Promise<X509Certificate> {
  return new X509Certificate(await readFile(path));
}

describe('control-plane PKI', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imageurl-pki-'));
    pki = await createControlPlanePki(join(dir, 'pki'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('issues a serving certificate for localhost and 127.0.0.1 from the serving CA', async () => {
    const ca = await cert(pki.files.servingCa);
    const serving = await cert(pki.files.servingCert);
    assert.ok(ca.ca);
    assert.ok(!serving.ca);
    assert.ok(serving.verify(ca.publicKey));
    assert.ok(serving.checkHost('localhost'));
    assert.ok(serving.checkIP('127.0.0.1'));
    assert.deepEqual(serving.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  });

  it('issues the admin client certificate in system:masters from the client CA', async () => {
    const clientCa = await cert(pki.files.clientCa);
    const admin = await cert(pki.files.adminCert);
    assert.ok(admin.verify(clientCa.publicKey));
    assert.ok(!admin.verify((await cert(pki.files.servingCa)).publicKey));
    assert.match(admin.subject, /CN=imageurl-admin/);
    assert.match(admin.subject, /O=system:masters/);
    assert.deepEqual(admin.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    assert.ok(admin.checkPrivateKey(createPrivateKey(pki.adminKeyPem)));
  });

  it('writes a matching service-account key pair', async () => {
    const privateKey = createPrivateKey(await readFile(pki.files.serviceAccountPrivateKey));
    const publicKey = createPublicKey(await readFile(pki.files.serviceAccountPublicKey));
    assert.deepEqual(
      createPublicKey(privateKey).export({ format: 'jwk' }),
      publicKey.export({ format: 'jwk' }),
    );
  });

  it('keeps private keys readable by their owner only', async () => {
    for (const key of [pki.files.servingKey, pki.files.adminKey, pki.files.serviceAccountPrivateKey]) {
      assert.equal((await stat(key)).mode & 0o777, 0o600, key);
    }
  });
});
