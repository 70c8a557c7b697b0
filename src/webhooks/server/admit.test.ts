import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldError } from '../field-errors.js';
import type { AdmissionAttributes } from '../kind-admission.js';
import type { AdmissionRequest } from './admission-review.js';
import { admit, describeFailure } from './admit.js';
import type { JsonPatchOperation } from './json-patch.js';
import type { Route, ServedKind } from './routes.js';

const SECRET = 'hunter2-super-secret';
const CONTROLLER = 'system:serviceaccount:capi-system:imageurl';

function machine(spec: Record<string, unknown>, name = 'worker-1'): Record<string, unknown> {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'HCloudMachine',
    metadata: { name, namespace: 'default' },
    spec,
  };
}

function request(overrides: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    uid: 'uid-1',
    kind: { group: 'infrastructure.cluster.x-k8s.io', version: 'v1beta1', kind: 'HCloudMachine' },
    name: 'worker-1',
    namespace: 'default',
    operation: 'CREATE',
    dryRun: false,
    object: machine({ imageURL: 'oci://registry/image:1' }),
    oldObject: null,
    username: 'alice',
    ...overrides,
  };
}

function kind(overrides: Partial<ServedKind> = {}): ServedKind {
  return { kind: 'HCloudMachine', plural: 'hcloudmachines', validate: () => [], ...overrides };
}

const validateRoute = (admission: ServedKind): Route => ({ type: 'validate', admission });
const mutateRoute = (admission: ServedKind): Route => ({ type: 'mutate', admission });

function decodePatch(patch: string | undefined): JsonPatchOperation[] {
  return JSON.parse(Buffer.from(patch ?? '', 'base64').toString('utf8')) as JsonPatchOperation[];
}

describe('admit: validation', () => {
  it('allows an object without field errors', () => {
    assert.deepEqual(admit(validateRoute(kind()), request(), CONTROLLER).response, { allowed: true });
  });

  it('denies with 422 Invalid, the kubectl message and one cause per field error', () => {
    const errors = [
      fieldError.invalid('spec.imageURL', 'ftp://x', 'must be an https:// or oci:// URL'),
      fieldError.required('spec.imageURLCommand', 'set it together with spec.imageURL'),
      fieldError.forbidden('spec.type', 'field is immutable'),
    ];
    const admitted = admit(validateRoute(kind({ validate: () => errors })), request(), CONTROLLER);
    assert.equal(admitted.count, 3);
    assert.deepEqual(admitted.response, {
      allowed: false,
      status: {
        status: 'Failure',
        code: 422,
        reason: 'Invalid',
        message:
          'HCloudMachine.infrastructure.cluster.x-k8s.io "worker-1" is invalid: [' +
          'spec.imageURL: Invalid value: "ftp://x": must be an https:// or oci:// URL, ' +
          'spec.imageURLCommand: Required value: set it together with spec.imageURL, ' +
          'spec.type: Forbidden: field is immutable]',
        details: {
          name: 'worker-1',
          group: 'infrastructure.cluster.x-k8s.io',
          kind: 'HCloudMachine',
          causes: [
            {
              reason: 'FieldValueInvalid',
              message: 'Invalid value: "ftp://x": must be an https:// or oci:// URL',
              field: 'spec.imageURL',
            },
            {
              reason: 'FieldValueRequired',
              message: 'Required value: set it together with spec.imageURL',
              field: 'spec.imageURLCommand',
            },
            { reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable', field: 'spec.type' },
          ],
        },
      },
    });
  });

  it('names the object from its metadata when the request has no name', () => {
    const errors = [fieldError.required('spec.x', 'needed')];
    const admitted = admit(
      validateRoute(kind({ validate: () => errors })),
      request({ name: '' }),
      CONTROLLER,
    );
    assert.match(
      admitted.response.status?.message ?? '',
      /^HCloudMachine\.infrastructure\.cluster\.x-k8s\.io "worker-1"/,
    );
  });

  it("passes operation, dryRun, object, oldObject, the request's namespace and the users to the validator", () => {
    const seen: AdmissionAttributes[] = [];
    const validate = (attributes: AdmissionAttributes): [] => (seen.push(attributes), []);
    const old = machine({ imageURL: 'oci://registry/image:0' });
    admit(
      validateRoute(kind({ validate })),
      request({ operation: 'UPDATE', dryRun: true, oldObject: old }),
      CONTROLLER,
    );
    assert.deepEqual(seen, [
      {
        operation: 'UPDATE',
        dryRun: true,
        object: request().object,
        oldObject: old,
        namespace: 'default',
        users: { requester: 'alice', controller: CONTROLLER },
      },
    ]);
  });

  it('turns a throwing validator into a 500 denial, without request data in the log summary', () => {
    const validate = (): never => {
      throw new TypeError(`cannot read spec of ${SECRET}`);
    };
    const admitted = admit(validateRoute(kind({ validate })), request(), CONTROLLER);
    assert.equal(admitted.response.allowed, false);
    assert.equal(admitted.response.status?.code, 500);
    assert.equal(admitted.response.status.reason, 'InternalError');
    assert.match(
      admitted.response.status.message ?? '',
      /^internal error in validation of HCloudMachine "worker-1": cannot read spec of/,
    );
    assert.match(admitted.failure ?? '', /^TypeError at .*admit\.test\.ts:\d+:\d+$/);
    assert.ok(!(admitted.failure ?? '').includes(SECRET));
  });

  it('allows DELETE without calling the validator, unless the kind asks for deletes', () => {
    let calls = 0;
    const validate = (): [] => (calls++, []);
    const deleting = request({ operation: 'DELETE', object: null, oldObject: machine({}) });
    assert.deepEqual(admit(validateRoute(kind({ validate })), deleting, CONTROLLER).response, {
      allowed: true,
    });
    assert.equal(calls, 0);
    const refuse = (): ReturnType<ServedKind['validate']> => [fieldError.forbidden('metadata', 'in use')];
    const denied = admit(
      validateRoute(kind({ validate: refuse, validateDeletes: true })),
      deleting,
      CONTROLLER,
    );
    assert.equal(denied.response.status?.code, 422);
    assert.match(denied.response.status.message ?? '', /"worker-1" is invalid: metadata: Forbidden: in use/);
  });

  it('answers a request for another kind with a 400 denial', () => {
    const other = request({ kind: { group: 'cluster.x-k8s.io', version: 'v1beta2', kind: 'Machine' } });
    const admitted = admit(validateRoute(kind()), other, CONTROLLER);
    assert.equal(admitted.response.status?.code, 400);
    assert.match(
      admitted.response.status.message ?? '',
      /admits HCloudMachine\.infrastructure\.cluster\.x-k8s\.io, not Machine\.cluster\.x-k8s\.io/,
    );
  });
});

describe('admit: defaulting', () => {
  const withRegion = (object: unknown): unknown => {
    const copy = structuredClone(object) as {
      spec: Record<string, unknown>;
      metadata: Record<string, unknown>;
    };
    copy.spec['region'] ??= 'fsn1';
    copy.metadata['labels'] = { 'imageurl.dev/defaulted': 'true' };
    return copy;
  };

  it('allows with a base64 JSONPatch from the original to the defaulted object', () => {
    const admitted = admit(mutateRoute(kind({ default: withRegion })), request(), CONTROLLER);
    assert.equal(admitted.response.allowed, true);
    assert.equal(admitted.response.patchType, 'JSONPatch');
    assert.deepEqual(decodePatch(admitted.response.patch), [
      { op: 'add', path: '/metadata/labels', value: { 'imageurl.dev/defaulted': 'true' } },
      { op: 'add', path: '/spec/region', value: 'fsn1' },
    ]);
  });

  it('allows without a patch when the defaults change nothing, or the kind has no defaulter', () => {
    assert.deepEqual(admit(mutateRoute(kind({ default: (o) => o })), request(), CONTROLLER).response, {
      allowed: true,
    });
    assert.deepEqual(admit(mutateRoute(kind()), request(), CONTROLLER).response, { allowed: true });
  });

  it('gives the defaulter a copy, so a defaulter that mutates its input still yields a patch', () => {
    const original = request();
    const mutating = (object: unknown): unknown => {
      (object as { spec: Record<string, unknown> }).spec['region'] = 'nbg1';
      return object;
    };
    const admitted = admit(mutateRoute(kind({ default: mutating })), original, CONTROLLER);
    assert.deepEqual(decodePatch(admitted.response.patch), [
      { op: 'add', path: '/spec/region', value: 'nbg1' },
    ]);
    assert.deepEqual(original.object, machine({ imageURL: 'oci://registry/image:1' }));
  });

  it('turns a throwing defaulter, or one that returns no object, into a 500 denial', () => {
    const throwing = (): never => {
      throw new RangeError('boom');
    };
    for (const [defaulter, why] of [
      [throwing, 'boom'],
      [(): undefined => undefined, 'the defaulter returned undefined'],
      [(): unknown[] => [], 'the defaulter returned an array'],
    ] as const) {
      const admitted = admit(mutateRoute(kind({ default: defaulter })), request(), CONTROLLER);
      assert.equal(admitted.response.allowed, false);
      assert.equal(admitted.response.status?.code, 500);
      assert.equal(
        admitted.response.status.message,
        `internal error in defaulting of HCloudMachine "worker-1": ${why}`,
      );
      assert.ok(admitted.failure);
    }
  });

  it('does not default DELETE or CONNECT', () => {
    let calls = 0;
    const counting = (object: unknown): unknown => (calls++, object);
    for (const operation of ['DELETE', 'CONNECT'] as const)
      assert.deepEqual(
        admit(mutateRoute(kind({ default: counting })), request({ operation }), CONTROLLER).response,
        {
          allowed: true,
        },
      );
    assert.equal(calls, 0);
  });
});

describe('describeFailure', () => {
  it('names the error class and the top frame, never the message', () => {
    const error = new Error(`token ${SECRET}`);
    assert.match(describeFailure(error), /^Error at .*admit\.test\.ts:\d+:\d+$/);
    assert.equal(describeFailure('a string'), 'string');
    const disguised = new Error(`line one\n    at ${SECRET} (/x.ts:1:1)`);
    assert.match(describeFailure(disguised), /^Error at .*admit\.test\.ts:\d+:\d+$/);
  });
});
