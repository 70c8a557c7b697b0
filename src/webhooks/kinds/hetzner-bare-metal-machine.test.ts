import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BARE_METAL_COMMAND as command,
  BARE_METAL_UPDATE_BASE as base,
  createTitle,
  hetznerBareMetalMachineCreateCases,
  hetznerBareMetalMachineUpdateCases,
  updateTitle,
  type Spec,
} from '../../../test/fixtures/caph-webhook-cases.js';
import { formatFieldError } from '../field-errors.js';
import { hetznerBareMetalMachineAdmission } from './hetzner-bare-metal-machine.js';

/** A machine with `spec`, an sshSpec and (empty) installImage partitions added. */
function machine(spec: Spec): Record<string, unknown> {
  const installImage = { partitions: [], ...(spec['installImage'] as Spec | undefined) };
  return {
    kind: 'HetznerBareMetalMachine',
    metadata: { name: 'bm' },
    spec: { sshSpec: { secretRef: { name: 'os-ssh' } }, ...spec, installImage },
  };
}

function create(installImage: Spec, hostSelector?: Spec): string[] {
  const object = machine({ installImage, ...(hostSelector ? { hostSelector } : {}) });
  return hetznerBareMetalMachineAdmission
    .validate({ operation: 'CREATE', dryRun: false, object, oldObject: undefined })
    .map(formatFieldError);
}

/** Updates a machine with spec `before` to `change` of its spec. */
function update(before: Spec, change: (spec: Spec) => Spec): string[] {
  const oldObject = machine(before);
  const object = { ...oldObject, spec: change(oldObject['spec'] as Spec) };
  return hetznerBareMetalMachineAdmission
    .validate({ operation: 'UPDATE', dryRun: false, object, oldObject })
    .map(formatFieldError);
}

// The CAPH cases (hetznerbaremetalmachine_validation_test.go) are in
// test/fixtures/caph-webhook-cases.ts, shared with test/integration/admission.test.ts.
describe('HetznerBareMetalMachine admission on create', () => {
  for (const testCase of hetznerBareMetalMachineCreateCases) {
    it(createTitle(testCase), () => assert.deepEqual(create(testCase.installImage), testCase.errors));
  }

  it('admits valid host selector labels and expressions', () => {
    assert.deepEqual(create(command, { matchLabels: { 'example.com/pool': 'gpu' } }), []);
    assert.deepEqual(
      create(command, { matchExpressions: [{ key: 'pool', operator: 'In', values: ['a', 'b'] }] }),
      [],
    );
  });

  it('rejects an unsupported host selector operator', () => {
    const [error] = create(command, {
      matchExpressions: [{ key: 'pool', operator: 'Invalid', values: ['a'] }],
    });
    assert.match(
      error ?? '',
      /^spec\.hostSelector\.matchExpressions\[0\]: Invalid value: .*invalid match expression: operator: Unsupported value: "invalid": supported values: "in", "notin"/,
    );
  });

  it('rejects an empty host selector key', () => {
    const [error] = create(command, { matchExpressions: [{ key: '', operator: 'In', values: ['a'] }] });
    assert.match(
      error ?? '',
      /invalid match expression: key: Invalid value: "": name part must be non-empty/,
    );
  });
});

describe('HetznerBareMetalMachine admission on update', () => {
  for (const testCase of hetznerBareMetalMachineUpdateCases) {
    it(updateTitle(testCase), () =>
      assert.deepEqual(update(testCase.before, testCase.change), testCase.errors),
    );
  }

  it('lets providerID be set once, then never changed', () => {
    assert.deepEqual(
      update(base, (spec) => ({ ...spec, providerID: 'hcloud://bm-1' })),
      [],
    );
    assert.deepEqual(
      update({ ...base, providerID: 'hcloud://bm-1' }, (spec) => ({ ...spec, providerID: 'hcloud://bm-2' })),
      ['spec.providerID: Forbidden: providerID is immutable'],
    );
  });
});
