import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createTitle,
  HCLOUD_IMAGE_URL as oci,
  HCLOUD_UPDATE_BASE as base,
  hcloudMachineCreateCases,
  hcloudMachineUpdateCases,
  updateTitle,
  type Spec,
} from '../../../test/fixtures/caph-webhook-cases.js';
import { formatFieldError } from '../field-errors.js';
import type { AdmissionAttributes } from '../kind-admission.js';
import { hcloudMachineAdmission } from './hcloud-machine.js';

function machine(spec: Spec): Record<string, unknown> {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'HCloudMachine',
    metadata: { name: 'm' },
    spec: { type: 'cpx22', ...spec },
  };
}

function create(spec: Spec): string[] {
  const attributes: AdmissionAttributes = {
    operation: 'CREATE',
    dryRun: false,
    object: machine(spec),
    oldObject: undefined,
  };
  return hcloudMachineAdmission.validate(attributes).map(formatFieldError);
}

/** Updates a machine with spec `before` to `change` of its spec. */
function update(before: Spec, change: (spec: Spec) => Spec): string[] {
  const oldObject = machine(before);
  const attributes: AdmissionAttributes = {
    operation: 'UPDATE',
    dryRun: false,
    object: { ...oldObject, spec: change(oldObject['spec'] as Spec) },
    oldObject,
  };
  return hcloudMachineAdmission.validate(attributes).map(formatFieldError);
}

// The CAPH cases (TestValidateHCloudMachineSpec, …SpecUpdate) are in test/fixtures/caph-webhook-cases.ts,
// shared with test/integration/admission.test.ts; the tests besides them are ours.
describe('HCloudMachine admission on create', () => {
  for (const testCase of hcloudMachineCreateCases) {
    it(createTitle(testCase), () => assert.deepEqual(create(testCase.spec), testCase.errors));
  }

  it('never echoes a password from the image URL', () => {
    const errors = create({
      imageURL: 'https://user:s3cret@[bad/x',
      imageURLCommand: 'image-url-command-x',
    }).join('\n');
    assert.doesNotMatch(errors, /s3cret/);
    assert.match(errors, /user:xxxxx@/);
  });

  it('truncates long values to 100 characters', () => {
    const [error] = create({ imageURL: oci, imageURLCommand: `image-url-command-${'a'.repeat(300)}/x` });
    assert.match(error ?? '', /Invalid value: "image-url-command-a{82}\.\.\.": must be a basename/);
  });
});

describe('HCloudMachine admission on update', () => {
  for (const testCase of hcloudMachineUpdateCases) {
    it(updateTitle(testCase), () =>
      assert.deepEqual(update(testCase.before, testCase.change), testCase.errors),
    );
  }

  it('lets providerID and publicNetwork change', () => {
    assert.deepEqual(
      update(base, (spec) => ({
        ...spec,
        providerID: 'hcloud://42',
        publicNetwork: { enableIPv4: false, enableIPv6: true },
      })),
      [],
    );
  });
});

describe('HCloudMachine defaulting', () => {
  it('turns on IPv4 and IPv6 when publicNetwork is not set', () => {
    const defaulted = hcloudMachineAdmission.default?.(machine({ imageURL: oci })) as {
      spec: Record<string, unknown>;
    };
    assert.deepEqual(defaulted.spec['publicNetwork'], { enableIPv4: true, enableIPv6: true });
  });

  it('keeps a publicNetwork that is set', () => {
    const object = machine({ publicNetwork: { enableIPv4: false, enableIPv6: true } });
    const defaulted = hcloudMachineAdmission.default?.(object) as { spec: Record<string, unknown> };
    assert.deepEqual(defaulted.spec['publicNetwork'], { enableIPv4: false, enableIPv6: true });
  });
});
