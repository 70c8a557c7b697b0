import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples } from './examples.js';
import { HCloudBootState, HCloudMachineSchema, HCloudMachineStatusSchema } from './hcloud-machine.js';
import { HCloudMachineTemplateSchema, HCloudMachineTemplateStatusSchema } from './hcloud-machine-template.js';

/** The issue paths of a failed parse, as `a.b.0.c`. */
function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  assert.equal(result.success, false, 'the schema accepted the object');
  return (result.error?.issues ?? []).map((issue) => issue.path.map(String).join('.'));
}

const machine = (spec: Record<string, unknown>, status?: Record<string, unknown>): unknown => ({
  ...examples.hcloudMachine,
  spec: { ...examples.hcloudMachine.spec, ...spec },
  ...(status === undefined ? {} : { status }),
});

describe('HCloudMachine schema', () => {
  it('parses CAPH’s documented template unchanged', () => {
    const parsed = HCloudMachineTemplateSchema.parse(examples.hcloudMachineTemplate);
    assert.deepEqual(parsed, examples.hcloudMachineTemplate);
  });

  it('defaults publicNetwork’s fields to true when publicNetwork is given, as the CRD does', () => {
    assert.deepEqual(HCloudMachineSchema.parse(machine({})).spec.publicNetwork, {
      enableIPv4: true,
      enableIPv6: true,
    });
    const partial = HCloudMachineSchema.parse(machine({ publicNetwork: { enableIPv4: false } }));
    assert.deepEqual(partial.spec.publicNetwork, { enableIPv4: false, enableIPv6: true });
    const without = HCloudMachineSchema.parse(machine({ publicNetwork: undefined }));
    assert.equal(without.spec.publicNetwork, undefined);
  });

  it('requires type and rejects empty imageURL, imageName and SSH key names', () => {
    assert.deepEqual(issuePaths(HCloudMachineSchema.safeParse(machine({ type: undefined }))), ['spec.type']);
    assert.deepEqual(issuePaths(HCloudMachineSchema.safeParse(machine({ imageURL: '' }))), ['spec.imageURL']);
    assert.deepEqual(issuePaths(HCloudMachineSchema.safeParse(machine({ imageName: '' }))), [
      'spec.imageName',
    ]);
    assert.deepEqual(issuePaths(HCloudMachineSchema.safeParse(machine({ sshKeys: [{ name: '' }] }))), [
      'spec.sshKeys.0.name',
    ]);
  });

  it('accepts every boot state, "" included, and rejects others', () => {
    for (const bootState of Object.values(HCloudBootState)) {
      assert.equal(HCloudMachineStatusSchema.parse({ bootState }).bootState, bootState);
    }
    assert.deepEqual(issuePaths(HCloudMachineStatusSchema.safeParse({ bootState: 'Booting' })), [
      'bootState',
    ]);
  });

  it('keeps the image-url status fields: action IDs (with the -1 sentinel), timestamps, addresses', () => {
    const status = {
      ready: true,
      addresses: [
        { type: 'ExternalIP', address: '192.0.2.1' },
        { type: 'ExternalIP', address: '2001:db8::1' },
      ],
      region: 'fsn1',
      sshKeys: [{ name: 'my-key', fingerprint: 'aa:bb' }],
      instanceState: 'running',
      bootState: 'OperatingSystemRunning',
      bootStateSince: '2026-01-02T03:04:05.123456Z',
      externalIDs: { actionIdCreateServer: -1, actionIdEnableRescueSystem: 9007199254740 },
      lastRemediatedAt: '2026-01-02T04:04:05+02:00',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-02T03:04:05Z' }],
      v1beta2: {
        conditions: [
          {
            type: 'ServerProvisioned',
            status: 'False',
            reason: 'CustomProvisionerRunning',
            message: 'downloading image 42%',
            lastTransitionTime: '2026-01-02T03:04:05Z',
            observedGeneration: 3,
          },
        ],
      },
      observedGeneration: 3,
    };
    assert.deepEqual(HCloudMachineStatusSchema.parse(status), status);
  });

  it('rejects what the apiserver rejects in status', () => {
    const bad = {
      region: 'fsn9',
      bootStateSince: '2026-01-02 03:04:05',
      externalIDs: { actionIdCreateServer: 1.5 },
      addresses: [{ type: 'PublicIP', address: '' }],
      v1beta2: {
        conditions: [{ type: 'Ready', status: 'Maybe', reason: '9', message: '', lastTransitionTime: 'x' }],
      },
    };
    assert.deepEqual(issuePaths(HCloudMachineStatusSchema.safeParse(bad)).sort(), [
      'addresses.0.address',
      'addresses.0.type',
      'bootStateSince',
      'externalIDs.actionIdCreateServer',
      'region',
      'v1beta2.conditions.0.lastTransitionTime',
      'v1beta2.conditions.0.reason',
      'v1beta2.conditions.0.status',
    ]);
  });

  it('prunes unknown spec and status fields like the apiserver, and keeps metadata as it is', () => {
    const input = {
      ...examples.hcloudMachine,
      metadata: { ...examples.hcloudMachine.metadata, managedFields: [{ manager: 'kubectl' }] },
      spec: { ...examples.hcloudMachine.spec, unknown: 1, publicNetwork: { enableIPv4: true, extra: 2 } },
      status: { ready: false, surprise: 'x', externalIDs: { other: 1 } },
    };
    const parsed = HCloudMachineSchema.parse(input);
    assert.equal('unknown' in parsed.spec, false);
    assert.deepEqual(parsed.spec.publicNetwork, { enableIPv4: true, enableIPv6: true });
    assert.deepEqual(parsed.status, { ready: false, externalIDs: {} });
    assert.deepEqual(parsed.metadata.managedFields, [{ manager: 'kubectl' }]);
  });
});

describe('HCloudMachineTemplate schema', () => {
  it('keeps only labels and annotations of the template metadata (the rest is pruned)', () => {
    const input = {
      ...examples.hcloudMachineTemplate,
      spec: {
        template: {
          metadata: { labels: { a: 'b' }, annotations: { c: 'd' }, name: 'dropped' },
          spec: examples.hcloudMachineTemplate.spec.template.spec,
        },
      },
    };
    assert.deepEqual(HCloudMachineTemplateSchema.parse(input).spec.template.metadata, {
      labels: { a: 'b' },
      annotations: { c: 'd' },
    });
  });

  it('takes a capacity as integers or quantity strings', () => {
    const status = HCloudMachineTemplateStatusSchema.parse({
      capacity: { cpu: 4, memory: '8Gi', disk: '80G' },
    });
    assert.deepEqual(status.capacity, { cpu: 4, memory: '8Gi', disk: '80G' });
    assert.deepEqual(
      issuePaths(HCloudMachineTemplateStatusSchema.safeParse({ capacity: { memory: '8 GB' } })),
      ['capacity.memory'],
    );
  });
});
