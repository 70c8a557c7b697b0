import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import type { AdmissionAttributes, AdmissionUsers, KindAdmission } from '../kind-admission.js';
import { hcloudMachineAdmission } from '../kinds/hcloud-machine.js';
import { hetznerBareMetalHostAdmission } from '../kinds/hetzner-bare-metal-host.js';

const CONTROLLER = 'system:serviceaccount:capi-system:imageurl';
const MOVE = 'clusterctl.cluster.x-k8s.io/delete-for-move';
const alice: AdmissionUsers = { requester: 'alice', controller: CONTROLLER };
const controller: AdmissionUsers = { requester: CONTROLLER, controller: CONTROLLER };

const kinds: readonly [KindAdmission, string, Record<string, unknown>][] = [
  [hcloudMachineAdmission, 'imageurl.io/provisioning-state', { type: 'cpx22', imageName: 'ubuntu-24.04' }],
  [hetznerBareMetalHostAdmission, 'imageurl.io/host-provisioning-state', { serverID: 1 }],
];

for (const [admission, key, spec] of kinds) {
  const object = (annotations: Record<string, string>): Record<string, unknown> => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: admission.kind,
    metadata: { name: 'x', namespace: 'team-a', annotations },
    spec,
  });
  const pinned = object({ [key]: '{"rescueHostKey":"ssh-ed25519 AAAA"}', note: 'a' });

  function errors(attributes: Partial<AdmissionAttributes>): string[] {
    const base = { operation: 'UPDATE', dryRun: false, object: pinned, oldObject: pinned } as const;
    return admission.validate({ ...base, namespace: 'team-a', ...attributes }).map(formatFieldError);
  }

  const refusal = (requester: string): string =>
    `metadata.annotations[${key}]: Forbidden: only the controller (${CONTROLLER}) may add, change or remove this annotation, not "${requester}": it holds the controller's bookkeeping (the rescue host-key pin among it)`;

  describe(`${admission.kind} admission: ${key} is the controller's`, () => {
    it('refuses anyone else removing, changing or adding it', () => {
      assert.deepEqual(errors({ users: alice, object: object({ note: 'a' }) }), [refusal('alice')]);
      assert.deepEqual(errors({ users: alice, object: object({ [key]: '{}', note: 'a' }) }), [
        refusal('alice'),
      ]);
      assert.deepEqual(errors({ users: alice, oldObject: object({}), object: object({ [key]: '{}' }) }), [
        refusal('alice'),
      ]);
    });

    it('lets anyone change other annotations while it stays as it was', () => {
      const relabelled = object({ [key]: '{"rescueHostKey":"ssh-ed25519 AAAA"}', note: 'b' });
      assert.deepEqual(errors({ users: alice, object: relabelled }), []);
    });

    it('lets the controller write it', () => {
      assert.deepEqual(errors({ users: controller, object: object({ [key]: '{}' }) }), []);
      assert.deepEqual(errors({ users: controller, object: object({}) }), []);
    });

    it('admits objects created with it (clusterctl move, restores)', () => {
      assert.deepEqual(errors({ users: alice, operation: 'CREATE', oldObject: undefined }), []);
    });

    it("admits clusterctl move's last write on the source object, then keeps its mark on", () => {
      // The JSON patch `add /metadata/annotations {delete-for-move: ""}` replaces them all.
      const marked = object({ [MOVE]: '' });
      assert.deepEqual(errors({ users: alice, object: marked }), []);
      assert.deepEqual(errors({ users: alice, oldObject: marked, object: object({}) }), [
        `metadata.annotations[${MOVE}]: Forbidden: only the controller (${CONTROLLER}) may remove this annotation, not "alice": clusterctl move marked the object for deletion, and its patch removed the bookkeeping`,
      ]);
      assert.deepEqual(errors({ users: alice, object: object({ [MOVE]: '', [key]: '{}' }) }), [
        refusal('alice'),
      ]);
    });

    it('judges nothing about users offline (imageurl validate has none)', () => {
      assert.deepEqual(errors({ object: object({}) }), []);
    });
  });
}
