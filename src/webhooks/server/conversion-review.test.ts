import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedReviewError } from './admission-review.js';
import {
  convertReview,
  decodeConversionReview,
  encodeConversionReview,
  type ConversionRequest,
} from './conversion-review.js';

const V1BETA1 = 'infrastructure.cluster.x-k8s.io/v1beta1';
const V1BETA2 = 'infrastructure.cluster.x-k8s.io/v1beta2';

function machine(name: string, status: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: V1BETA1,
    kind: 'HCloudMachine',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { type: 'cpx22', imageName: 'ubuntu-24.04' },
    status,
  };
}

function request(objects: unknown[], desiredAPIVersion = V1BETA2): ConversionRequest {
  return { uid: 'review-1', desiredAPIVersion, objects };
}

function body(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

describe('ConversionReview', () => {
  it('converts every object to the desired version, in order', () => {
    const objects = [machine('a', { ready: true }), machine('b', { ready: false })];
    const { response, failure } = convertReview(request(objects));
    assert.equal(failure, undefined);
    assert.deepEqual(response.result, { status: 'Success' });
    assert.deepEqual(
      response.convertedObjects.map((object) => {
        const { apiVersion, metadata, status } = object as Record<string, Record<string, unknown>>;
        return [apiVersion, metadata?.['name'], status];
      }),
      [
        [V1BETA2, 'a', { initialization: { provisioned: true } }],
        [V1BETA2, 'b', { initialization: { provisioned: false } }],
      ],
    );
    const back = convertReview(request(response.convertedObjects as unknown[], V1BETA1));
    assert.deepEqual(back.response.convertedObjects, objects);
  });

  it('returns objects already in the desired version unchanged', () => {
    const objects = [machine('a', { ready: true })];
    assert.deepEqual(convertReview(request(objects, V1BETA1)).response.convertedObjects, objects);
  });

  it('fails the review, naming the object, when an object is of a kind or version it does not know', () => {
    const objects = [machine('a', {}), { ...machine('b', {}), kind: 'Machine' }];
    assert.deepEqual(convertReview(request(objects)).response, {
      convertedObjects: [],
      result: {
        status: 'Failure',
        message:
          'objects[1] (Machine default/b): kind "Machine" is not one of HCloudMachine, HCloudMachineTemplate, ' +
          'HCloudRemediation, HCloudRemediationTemplate, HetznerBareMetalHost, HetznerBareMetalMachine, ' +
          'HetznerBareMetalMachineTemplate, HetznerCluster',
      },
    });
    const old = { ...machine('c', {}), apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha4' };
    assert.match(
      JSON.stringify(convertReview(request([old])).response.result),
      /objects\[0\] \(HCloudMachine default\/c\): apiVersion \\"infrastructure.cluster.x-k8s.io\/v1alpha4\\" is not one of/,
    );
    assert.deepEqual(convertReview(request([42])).response.result, {
      status: 'Failure',
      message: 'objects[0]: expected an object, got 42',
    });
  });

  it('fails the review for a desired version it does not serve', () => {
    const { response } = convertReview(request([machine('a', {})], 'cluster.x-k8s.io/v1beta2'));
    assert.deepEqual(response.result, {
      status: 'Failure',
      message:
        'desiredAPIVersion "cluster.x-k8s.io/v1beta2" is not one of ' +
        'infrastructure.cluster.x-k8s.io/v1beta1, infrastructure.cluster.x-k8s.io/v1beta2',
    });
  });

  it('reports a conversion bug as an internal error without object data, and where it happened', () => {
    const cluster = {
      apiVersion: V1BETA2,
      kind: 'HetznerCluster',
      metadata: { name: 'c', namespace: 'default' },
      spec: {},
      status: { failureDomains: [null] },
    };
    const converted = convertReview(request([cluster], V1BETA1));
    assert.deepEqual(converted.response.result, {
      status: 'Failure',
      message: 'objects[0] (HetznerCluster default/c): cannot be converted to v1beta1 (internal error)',
    });
    assert.match(converted.failure ?? '', /^TypeError( at |$)/);
  });

  it('decodes a ConversionReview and names what is missing or wrong', () => {
    const review = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview' };
    const full = { ...review, request: { uid: 'u', desiredAPIVersion: V1BETA2, objects: [] } };
    assert.deepEqual(decodeConversionReview(body(full)), full.request);
    const cases: [unknown, RegExp][] = [
      ['[', /^the request body is not JSON/],
      [[], /^the request body is not a JSON object$/],
      [{ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, /^expected apiVersion apiextensions/],
      [review, /^request: required object is missing$/],
      [{ ...review, request: { ...full.request, uid: '' } }, /^request\.uid: required string/],
      [{ ...review, request: { uid: 'u', objects: [] } }, /^request\.desiredAPIVersion: required string/],
      [{ ...review, request: { uid: 'u', desiredAPIVersion: V1BETA2 } }, /^request\.objects: required list/],
    ];
    for (const [input, message] of cases) {
      const raw = typeof input === 'string' ? Buffer.from(input) : body(input);
      assert.throws(
        () => decodeConversionReview(raw),
        (error: unknown) => {
          assert.ok(error instanceof MalformedReviewError);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });

  it('encodes the response for the request uid', () => {
    const encoded = encodeConversionReview('u-1', { convertedObjects: [], result: { status: 'Success' } });
    assert.deepEqual(JSON.parse(encoded), {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'ConversionReview',
      response: { uid: 'u-1', convertedObjects: [], result: { status: 'Success' } },
    });
  });
});
