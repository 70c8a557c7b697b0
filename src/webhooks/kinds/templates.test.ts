import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { hcloudMachineTemplateAdmission } from './hcloud-machine-template.js';
import { hetznerBareMetalMachineTemplateAdmission } from './hetzner-bare-metal-machine-template.js';

function template(
  kind: string,
  machineSpec: Record<string, unknown>,
  annotations?: Record<string, string>,
): Record<string, unknown> {
  return {
    kind,
    metadata: { name: 't', ...(annotations ? { annotations } : {}) },
    spec: { template: { spec: machineSpec } },
  };
}

function run(admission: KindAdmission, attributes: Partial<AdmissionAttributes>): string[] {
  return admission
    .validate({ operation: 'CREATE', dryRun: false, object: undefined, oldObject: undefined, ...attributes })
    .map(formatFieldError);
}

const hcloudSpec = {
  type: 'cpx22',
  imageURL: 'oci://ghcr.io/example/foo:v1',
  imageURLCommand: 'image-url-command-foo.sh',
};
const dryRun = { 'topology.cluster.x-k8s.io/dry-run': '' };

describe('HCloudMachineTemplate admission', () => {
  it('admits a valid template and reports machine rules at their template path', () => {
    assert.deepEqual(
      run(hcloudMachineTemplateAdmission, { object: template('HCloudMachineTemplate', hcloudSpec) }),
      [],
    );
    assert.deepEqual(
      run(hcloudMachineTemplateAdmission, {
        object: template('HCloudMachineTemplate', { type: 'cpx22', imageURL: hcloudSpec.imageURL }),
      }),
      [
        'spec.template.spec.imageURLCommand: Required value: imageURLCommand must be set when imageURL is set',
      ],
    );
  });

  it('rejects any change of the spec', () => {
    const errors = run(hcloudMachineTemplateAdmission, {
      operation: 'UPDATE',
      oldObject: template('HCloudMachineTemplate', hcloudSpec),
      object: template('HCloudMachineTemplate', { ...hcloudSpec, type: 'cx23' }),
    });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^spec: Invalid value: .*: HCloudMachineTemplate\.Spec is immutable$/);
  });

  it('lets Cluster API topology dry-runs change the spec', () => {
    const errors = run(hcloudMachineTemplateAdmission, {
      operation: 'UPDATE',
      dryRun: true,
      oldObject: template('HCloudMachineTemplate', hcloudSpec),
      object: template('HCloudMachineTemplate', { ...hcloudSpec, type: 'cx23' }, dryRun),
    });
    assert.deepEqual(errors, []);
  });

  it('defaults publicNetwork inside the template', () => {
    const defaulted = hcloudMachineTemplateAdmission.default?.(
      template('HCloudMachineTemplate', hcloudSpec),
    ) as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    assert.deepEqual(defaulted.spec.template.spec['publicNetwork'], { enableIPv4: true, enableIPv6: true });
  });
});

describe('HetznerBareMetalMachineTemplate admission', () => {
  it('admits the empty templates ClusterClass creates', () => {
    assert.deepEqual(
      run(hetznerBareMetalMachineTemplateAdmission, {
        object: template('HetznerBareMetalMachineTemplate', {}),
      }),
      [],
    );
  });

  it('checks a template in image-url-command mode when it is created', () => {
    const spec = { installImage: { imageURLCommand: 'image-url-command-bm', image: { name: 'ubuntu' } } };
    assert.deepEqual(
      run(hetznerBareMetalMachineTemplateAdmission, {
        object: template('HetznerBareMetalMachineTemplate', spec),
      }),
      [
        'spec.template.spec.installImage.image.url: Required value: url is required when imageURLCommand is set',
        'spec.template.spec.installImage.image.name: Invalid value: "ubuntu": name must be empty when imageURLCommand is set',
      ],
    );
  });

  it('rejects spec changes except in topology dry-runs', () => {
    const before = template('HetznerBareMetalMachineTemplate', {
      installImage: { image: { path: '/a.tar' } },
    });
    const after = template('HetznerBareMetalMachineTemplate', {
      installImage: { image: { path: '/b.tar' } },
    });
    const changed = run(hetznerBareMetalMachineTemplateAdmission, {
      operation: 'UPDATE',
      oldObject: before,
      object: after,
    });
    assert.match(changed[0] ?? '', /HetznerBareMetalMachineTemplate\.Spec is immutable$/);
    const annotated = { ...after, metadata: { name: 't', annotations: dryRun } };
    assert.deepEqual(
      run(hetznerBareMetalMachineTemplateAdmission, {
        operation: 'UPDATE',
        dryRun: true,
        oldObject: before,
        object: annotated,
      }),
      [],
    );
  });
});
