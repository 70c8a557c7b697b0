import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openApiSchema } from '../crd/crd.js';
import { examples, kinds } from '../v1beta1/index.js';
import {
  HCloudMachineStatusV1Beta2Schema,
  HetznerClusterStatusV1Beta2Schema,
  v1beta2Kinds,
} from './index.js';

describe('v1beta2 kinds', () => {
  it('has one v1beta2 kind per v1beta1 kind, with the same names', () => {
    assert.deepEqual(
      v1beta2Kinds.map((kind) => [kind.kind, kind.plural, kind.shortNames]),
      kinds.map((kind) => [kind.kind, kind.plural, kind.shortNames]),
    );
  });

  it('renders every kind to a structural CRD schema kube-apiserver accepts', () => {
    for (const kind of v1beta2Kinds) assert.doesNotThrow(() => openApiSchema(kind), kind.kind);
  });

  it('admits the spec of every example manifest (the specs are the same in both versions)', () => {
    for (const example of Object.values(examples)) {
      const kind = v1beta2Kinds.find((candidate) => candidate.kind === example.kind);
      assert.ok(kind, example.kind);
      assert.doesNotThrow(() => kind.object.parse(example), example.kind);
    }
  });

  it('holds the v1beta2 contract fields and the deprecated v1beta1 ones in the machine status', () => {
    const status = HCloudMachineStatusV1Beta2Schema.parse({
      initialization: { provisioned: true },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
      deprecated: {
        v1beta1: {
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }],
          failureReason: 'CreateError',
        },
      },
      ready: true,
      v1beta2: {},
    });
    assert.deepEqual(Object.keys(status).sort(), ['conditions', 'deprecated', 'initialization']);
  });

  it('lists failure domains by name', () => {
    const status = HetznerClusterStatusV1Beta2Schema.parse({
      failureDomains: [{ name: 'fsn1', controlPlane: true }],
    });
    assert.deepEqual(status.failureDomains, [{ name: 'fsn1', controlPlane: true }]);
    assert.throws(() => HetznerClusterStatusV1Beta2Schema.parse({ failureDomains: { fsn1: {} } }));
  });
});
