import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { examples } from './examples.js';
import { HetznerBareMetalHostSchema, ProvisioningState } from './hetzner-bare-metal-host.js';
import { HetznerBareMetalMachineSchema } from './hetzner-bare-metal-machine.js';
import { HetznerBareMetalMachineTemplateSchema } from './hetzner-bare-metal-machine-template.js';

function issuePaths(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  assert.equal(result.success, false, 'the schema accepted the object');
  return result.error.issues.map((issue) => issue.path.map(String).join('.')).sort();
}

const installImage = (fields: Record<string, unknown>): unknown => ({
  ...examples.hetznerBareMetalMachine,
  spec: {
    ...examples.hetznerBareMetalMachine.spec,
    installImage: { ...examples.hetznerBareMetalMachine.spec.installImage, ...fields },
  },
});

const host = (status: Record<string, unknown>): unknown => ({
  ...examples.hetznerBareMetalHost,
  spec: { ...examples.hetznerBareMetalHost.spec, status },
});

describe('HetznerBareMetalMachine(Template) schema', () => {
  it('applies CAPH’s defaults to an imageURLCommand template', () => {
    const { spec } = HetznerBareMetalMachineTemplateSchema.parse(examples.hetznerBareMetalMachineTemplate)
      .spec.template;
    assert.equal(spec.installImage.swraid, 0);
    assert.equal(spec.installImage.swraidLevel, 1);
    assert.equal(spec.installImage.deviceStringType, 'wwn');
    assert.equal(spec.sshSpec?.portAfterInstallImage, 22);
    assert.deepEqual(spec.hostSelector, { matchLabels: { 'baremetal-pool': 'pool-1' } });
  });

  it('takes swraid 0/1, swraidLevel 0/1/5/6/10 and deviceStringType ""/short/wwn only', () => {
    for (const fields of [
      { swraid: 1, swraidLevel: 10 },
      { deviceStringType: '' },
      { deviceStringType: 'short' },
    ]) {
      assert.equal(HetznerBareMetalMachineSchema.safeParse(installImage(fields)).success, true);
    }
    assert.deepEqual(issuePaths(HetznerBareMetalMachineSchema, installImage({ swraid: 2, swraidLevel: 3 })), [
      'spec.installImage.swraid',
      'spec.installImage.swraidLevel',
    ]);
    assert.deepEqual(issuePaths(HetznerBareMetalMachineSchema, installImage({ deviceStringType: 'long' })), [
      'spec.installImage.deviceStringType',
    ]);
  });

  it('requires installImage.image and partitions (an empty list will do), and complete SSH secret refs', () => {
    assert.deepEqual(
      issuePaths(HetznerBareMetalMachineSchema, installImage({ image: undefined, partitions: undefined })),
      ['spec.installImage.image', 'spec.installImage.partitions'],
    );
    const noKey = {
      ...examples.hetznerBareMetalMachine,
      spec: { ...examples.hetznerBareMetalMachine.spec, sshSpec: { secretRef: { name: 'x' } } },
    };
    assert.deepEqual(issuePaths(HetznerBareMetalMachineSchema, noKey), ['spec.sshSpec.secretRef.key']);
  });

  it('has no status on the template and prunes one given', () => {
    const withStatus = { ...examples.hetznerBareMetalMachineTemplate, status: { ready: true } };
    assert.equal('status' in HetznerBareMetalMachineTemplateSchema.parse(withStatus), false);
  });
});

describe('HetznerBareMetalHost schema', () => {
  it('parses both of CAPH’s documented hosts unchanged', () => {
    assert.deepEqual(
      HetznerBareMetalHostSchema.parse(examples.hetznerBareMetalHost),
      examples.hetznerBareMetalHost,
    );
    assert.deepEqual(
      HetznerBareMetalHostSchema.parse(examples.hetznerBareMetalHostRaid),
      examples.hetznerBareMetalHostRaid,
    );
  });

  it('keeps the controller’s spec.status, defaulting errorCount and requiring hetznerClusterRef', () => {
    const parsed = HetznerBareMetalHostSchema.parse(
      host({ hetznerClusterRef: 'my-cluster', provisioningState: ProvisioningState.ImageInstalling }),
    );
    assert.equal(parsed.spec.status?.errorCount, 0);
    assert.deepEqual(issuePaths(HetznerBareMetalHostSchema, host({ errorCount: 1 })), [
      'spec.status.hetznerClusterRef',
    ]);
  });

  it('accepts every provisioning state and the hardware details CAPH gathers', () => {
    for (const provisioningState of Object.values(ProvisioningState)) {
      assert.equal(
        HetznerBareMetalHostSchema.safeParse(host({ hetznerClusterRef: 'c', provisioningState })).success,
        true,
      );
    }
    const status = {
      hetznerClusterRef: 'c',
      errorCount: 2,
      errorType: 'provisioning error',
      hardwareDetails: {
        ramGB: 64,
        cpu: {
          arch: 'x86_64',
          model: 'AMD Ryzen',
          clockGigahertz: '3.4',
          threads: 16,
          cores: 8,
          flags: ['sse'],
        },
        nics: [{ name: 'eth0', mac: '00:11:22:33:44:55', ip: '192.0.2.10', speedMbps: 1000 }],
        storage: [
          { name: '', sizeBytes: 512110190592, sizeGB: 512, wwn: 'eui.0025388801b4dff2', rota: false },
        ],
      },
      sshStatus: {
        currentRescue: { credentials: { name: 'robot-ssh', namespace: 'd' }, credentialsDataHash: 'AAEC' },
        rescueKey: { name: 'rescue', fingerprint: 'aa' },
      },
      userData: { name: 'bootstrap', namespace: 'd' },
      rebootTypes: ['sw', 'hw', 'power_long'],
      rebootTriggeredAt: '2026-01-02T03:04:05Z',
    };
    assert.deepEqual(HetznerBareMetalHostSchema.parse(host(status)).spec.status, status);
  });

  it('rejects a bad provisioning state, MAC, hash and server ID', () => {
    const status = {
      hetznerClusterRef: 'c',
      provisioningState: 'installing',
      hardwareDetails: { nics: [{ mac: 'not-a-mac' }] },
      sshStatus: { currentOS: { credentialsDataHash: 'not base64!' } },
    };
    const input = {
      ...(host(status) as object),
      spec: { ...(host(status) as { spec: object }).spec, serverID: 1.5 },
    };
    assert.deepEqual(issuePaths(HetznerBareMetalHostSchema, input), [
      'spec.serverID',
      'spec.status.hardwareDetails.nics.0.mac',
      'spec.status.provisioningState',
      'spec.status.sshStatus.currentOS.credentialsDataHash',
    ]);
  });

  it('prunes anything written to the (empty) status subresource', () => {
    const parsed = HetznerBareMetalHostSchema.parse({
      ...examples.hetznerBareMetalHost,
      status: { phase: 'x' },
    });
    assert.deepEqual(parsed.status, {});
  });
});
