import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeAdmissionReview,
  encodeAdmissionReview,
  MalformedReviewError,
  type AdmissionRequest,
} from './admission-review.js';

const object = { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'HCloudMachine' };

function review(request: Record<string, unknown>, envelope: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request, ...envelope }),
  );
}

const request = {
  uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
  kind: { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta1', kind: 'HCloudMachine' },
  resource: { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta1', resource: 'hcloudmachines' },
  name: 'worker-1',
  namespace: 'default',
  operation: 'UPDATE',
  userInfo: { username: 'admin' },
  object,
  oldObject: { ...object, spec: {} },
  dryRun: true,
};

describe('decodeAdmissionReview', () => {
  it('reads what the apiserver sends', () => {
    const decoded: AdmissionRequest = decodeAdmissionReview(review(request));
    assert.deepEqual(decoded, {
      uid: request.uid,
      kind: request.kind,
      name: 'worker-1',
      namespace: 'default',
      operation: 'UPDATE',
      dryRun: true,
      object,
      oldObject: { ...object, spec: {} },
      username: 'admin',
    });
  });

  it('fills absent optional fields: name, namespace, oldObject, dryRun, the username', () => {
    const minimal = { uid: request.uid, kind: request.kind, operation: 'CREATE', object };
    const decoded = decodeAdmissionReview(review(minimal));
    assert.equal(decoded.name, '');
    assert.equal(decoded.namespace, '');
    assert.equal(decoded.oldObject, null);
    assert.equal(decoded.dryRun, false);
    assert.equal(decoded.username, '');
  });

  const malformed: [string, Buffer, RegExp][] = [
    ['not JSON', Buffer.from('{"apiVersion":'), /the request body is not JSON/],
    ['a JSON array', Buffer.from('[]'), /not a JSON object/],
    [
      'an older AdmissionReview version',
      review(request, { apiVersion: 'admission.k8s.io/v1beta1' }),
      /expected apiVersion admission\.k8s\.io\/v1 and kind AdmissionReview, got "admission\.k8s\.io\/v1beta1" "AdmissionReview"/,
    ],
    ['another kind', review(request, { kind: 'TokenReview' }), /got "admission.k8s.io\/v1" "TokenReview"/],
    ['no request', review(request, { request: undefined }), /request: required object is missing/],
    ['no uid', review({ ...request, uid: '' }), /request\.uid: required string is missing/],
    [
      'an unknown operation',
      review({ ...request, operation: 'PATCH' }),
      /request\.operation: "PATCH" is not one of/,
    ],
    ['no kind', review({ ...request, kind: 'HCloudMachine' }), /request\.kind: required/],
  ];
  for (const [what, body, message] of malformed) {
    it(`rejects ${what} with a message saying what is wrong`, () => {
      assert.throws(
        () => decodeAdmissionReview(body),
        (error: unknown) => error instanceof MalformedReviewError && message.test(error.message),
      );
    });
  }
});

describe('encodeAdmissionReview', () => {
  it('wraps the response with the request uid in an admission.k8s.io/v1 AdmissionReview', () => {
    const encoded = JSON.parse(encodeAdmissionReview('uid-1', { allowed: true })) as unknown;
    assert.deepEqual(encoded, {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'uid-1', allowed: true },
    });
  });

  it('keeps the status, patch type and patch', () => {
    const status = { status: 'Failure', code: 422, reason: 'Invalid', message: 'm' } as const;
    const encoded = JSON.parse(
      encodeAdmissionReview('u', { allowed: false, status, patchType: 'JSONPatch', patch: 'W10=' }),
    ) as { response: Record<string, unknown> };
    assert.deepEqual(encoded.response, {
      uid: 'u',
      allowed: false,
      status,
      patchType: 'JSONPatch',
      patch: 'W10=',
    });
  });
});
