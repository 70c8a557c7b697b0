import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  examples,
  HetznerBareMetalHostSchema,
  HetznerBareMetalMachineSchema,
  type HostSelector,
} from '../../../api/v1beta1/index.js';
import { chooseHost, type HostChoice } from './host-choice.js';
import type { BareMetalHostObject, BareMetalMachineObject } from './types.js';

const NS = 'bm';

function machine(hostSelector?: HostSelector, swraid: 0 | 1 = 0): BareMetalMachineObject {
  const object = structuredClone(examples.hetznerBareMetalMachine);
  const parsed = HetznerBareMetalMachineSchema.parse({
    ...object,
    metadata: { name: 'worker-1', namespace: NS },
    spec: { ...object.spec, installImage: { ...object.spec.installImage, swraid }, hostSelector },
  });
  return parsed as BareMetalMachineObject;
}

type HostChange = (host: BareMetalHostObject) => void;

function host(name: string, labels: Record<string, string> = {}, change?: HostChange): BareMetalHostObject {
  const parsed = HetznerBareMetalHostSchema.parse({
    ...structuredClone(examples.hetznerBareMetalHost),
    metadata: { name, namespace: NS, labels },
  }) as BareMetalHostObject;
  change?.(parsed);
  return parsed;
}

const chosen = (choice: HostChoice): string | undefined =>
  choice.kind === 'chosen' ? choice.host.metadata.name : undefined;
const reason = (choice: HostChoice): string | undefined =>
  choice.kind === 'none' ? choice.reason : undefined;
const consumedBy =
  (name: string): HostChange =>
  (h) => {
    h.spec.consumerRef = { kind: 'HetznerBareMetalMachine', name, namespace: NS };
  };

describe('host choice', () => {
  it('picks the first free host by name (deterministic; CAPH picks at random)', () => {
    assert.equal(chosen(chooseHost(machine(), [host('bm-2'), host('bm-1'), host('bm-3')])), 'bm-1');
  });

  it('returns the host this machine consumes already, before looking at any other', () => {
    const hosts = [host('bm-1'), host('bm-2', {}, consumedBy('worker-1'))];
    assert.equal(chosen(chooseHost(machine(), hosts)), 'bm-2');
  });

  it('picks only hosts the selector matches', () => {
    const hosts = [host('bm-1', { pool: 'a' }), host('bm-2', { pool: 'b' })];
    assert.equal(chosen(chooseHost(machine({ matchLabels: { pool: 'b' } }), hosts)), 'bm-2');
    const notA: HostSelector = { matchExpressions: [{ key: 'pool', operator: 'NotIn', values: ['a'] }] };
    assert.equal(chosen(chooseHost(machine(notA), hosts)), 'bm-2');
  });

  it('says so when the selector matches none of the hosts at all', () => {
    const hosts = [host('bm-1', { pool: 'a' }), host('bm-2', { pool: 'a' }, consumedBy('other'))];
    assert.equal(
      reason(chooseHost(machine({ matchLabels: { pool: 'gpu' } }), hosts)),
      'the hostSelector (pool=gpu) matches none of the 2 HetznerBareMetalHosts in namespace bm',
    );
  });

  it('says so when the namespace has no host', () => {
    assert.equal(reason(chooseHost(machine(), [])), 'there is no HetznerBareMetalHost in namespace bm');
  });

  it('says why an invalid selector selects nothing', () => {
    const invalid: HostSelector = { matchExpressions: [{ key: 'pool', operator: 'Near', values: ['a'] }] };
    assert.match(
      reason(chooseHost(machine(invalid), [host('bm-1')])) ?? '',
      /^the hostSelector selects nothing: .*"Near"/,
    );
  });

  it('reports all hosts in use with CAPH’s message', () => {
    const hosts = [host('bm-1', {}, consumedBy('other'))];
    assert.equal(reason(chooseHost(machine(), hosts)), 'all hosts are in use - found 1 hosts');
  });

  it('skips hosts being deleted, in maintenance, with an error or a provisioning state, counting why', () => {
    const hosts = [
      host('bm-1', {}, (h) => (h.metadata.deletionTimestamp = '2026-01-01T00:00:00Z')),
      host('bm-2', {}, (h) => (h.spec.maintenanceMode = true)),
      host(
        'bm-3',
        {},
        (h) => (h.spec.status = { hetznerClusterRef: '', errorCount: 1, errorMessage: 'boom' }),
      ),
      host(
        'bm-4',
        {},
        (h) =>
          (h.spec.status = { hetznerClusterRef: '', errorCount: 0, provisioningState: 'deprovisioning' }),
      ),
      host('bm-5', { pool: 'other' }),
      host('bm-6', {}, consumedBy('other')),
    ];
    assert.equal(
      reason(
        chooseHost(
          machine({ matchExpressions: [{ key: 'pool', operator: 'DoesNotExist', values: [] }] }),
          hosts,
        ),
      ),
      'No available host of 5 found: hbmh-has-deletion-timestamp: 1, hbmh-has-error-message-in-status: 1, ' +
        'hbmh-in-maintenance-mode: 1, hbmh-in-wrong-provisioning-state: 1, label-selector-does-not-match: 1',
    );
  });

  it('matches root device hints to swraid, and prefers hosts that have hints', () => {
    const single = host('bm-1');
    const raid = host('bm-2', {}, (h) => (h.spec.rootDeviceHints = { raid: { wwn: ['w1', 'w2'] } }));
    const none = host('bm-0', {}, (h) => delete h.spec.rootDeviceHints);
    assert.equal(chosen(chooseHost(machine(undefined, 0), [single, raid])), 'bm-1');
    assert.equal(chosen(chooseHost(machine(undefined, 1), [single, raid])), 'bm-2');
    assert.equal(chosen(chooseHost(machine(undefined, 0), [none, raid, single])), 'bm-1', 'hints first');
    assert.equal(chosen(chooseHost(machine(undefined, 1), [none, single])), 'bm-0', 'no hints: eligible');
    assert.equal(
      reason(chooseHost(machine(undefined, 1), [single])),
      'No available host of 1 found: machine-should-use-swraid-but-not-enough-RAID-WWNs-in-hbmh: 1',
    );
  });

  it('skips invalid root device hints', () => {
    const both = host(
      'bm-1',
      {},
      (h) => (h.spec.rootDeviceHints = { wwn: 'w0', raid: { wwn: ['w1', 'w2'] } }),
    );
    const oneRaid = host('bm-2', {}, (h) => (h.spec.rootDeviceHints = { raid: { wwn: ['w1'] } }));
    assert.equal(
      reason(chooseHost(machine(), [both, oneRaid])),
      'No available host of 2 found: hbmh-has-invalid-rootDeviceHints: 2',
    );
  });

  it('does not take a host whose consumerRef names a machine of the same name in another namespace', () => {
    const elsewhere = host('bm-1', {}, (h) => {
      h.spec.consumerRef = { kind: 'HetznerBareMetalMachine', name: 'worker-1', namespace: 'other' };
    });
    assert.equal(reason(chooseHost(machine(), [elsewhere])), 'all hosts are in use - found 1 hosts');
  });
});
