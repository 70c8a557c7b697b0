import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { allKindAdmissions } from '../kinds/index.js';
import { withImageHostPolicy } from './image-host-policy.js';

const admissions = withImageHostPolicy(allKindAdmissions(), ['ghcr.io', 'registry.internal:5000']);
const admission = (kind: string): KindAdmission =>
  admissions.find((a) => a.kind === kind) ?? assert.fail(kind);

function run(kind: string, attributes: Partial<AdmissionAttributes>): string[] {
  return admission(kind)
    .validate({ operation: 'CREATE', dryRun: false, object: undefined, oldObject: undefined, ...attributes })
    .map(formatFieldError);
}

const machine = (imageURL: string): unknown => ({
  kind: 'HCloudMachine',
  metadata: { name: 'm' },
  spec: { type: 'cpx22', imageURL, imageURLCommand: 'image-url-command-disk' },
});
const bareMetalTemplate = (url: string): unknown => ({
  kind: 'HetznerBareMetalMachineTemplate',
  metadata: { name: 't' },
  spec: {
    template: {
      spec: {
        installImage: { image: { url }, imageURLCommand: 'image-url-command-disk' },
        sshSpec: {
          secretRef: { name: 's', key: { name: 'n', publicKey: 'p', privateKey: 'k' } },
          portAfterInstallImage: 22,
        },
      },
    },
  },
});

describe('--image-url-hosts', () => {
  it('admits image URLs on a listed host (any port of a listed host, only that port of a host:port)', () => {
    assert.deepEqual(run('HCloudMachine', { object: machine('oci://ghcr.io/org/node:v1') }), []);
    assert.deepEqual(run('HCloudMachine', { object: machine('oci://GHCR.io:443/org/node:v1') }), []);
    assert.deepEqual(run('HCloudMachine', { object: machine('oci://registry.internal:5000/node:v1') }), []);
  });

  it('refuses other hosts, naming the field, the host (never the rest of the URL) and what is allowed', () => {
    const errors = run('HCloudMachine', {
      object: machine('https://user:s3cret@attacker.example/x.img?sig=abc'),
    });
    assert.deepEqual(errors, [
      'spec.imageURL: Invalid value: "attacker.example": this controller installs images only from ghcr.io, registry.internal:5000 (--image-url-hosts)',
    ]);
    assert.equal(run('HCloudMachine', { object: machine('oci://registry.internal/node:v1') }).length, 1);
    assert.deepEqual(
      run('HetznerBareMetalMachineTemplate', { object: bareMetalTemplate('oci://quay.io/node:v1') }).filter(
        (e) => e.includes('--image-url-hosts'),
      ),
      [
        'spec.template.spec.installImage.image.url: Invalid value: "quay.io": this controller installs images only from ghcr.io, registry.internal:5000 (--image-url-hosts)',
      ],
    );
  });

  it('keeps objects admitted before the list writable while their URL stays the same', () => {
    const old = machine('oci://quay.io/node:v1');
    const touched = { ...(old as object), metadata: { name: 'm', finalizers: ['x'] } };
    assert.deepEqual(run('HCloudMachine', { operation: 'UPDATE', oldObject: old, object: touched }), []);
    assert.deepEqual(run('HCloudMachine', { operation: 'DELETE', oldObject: old }), []);
  });

  it('leaves kinds without an image URL alone', () => {
    const original = allKindAdmissions().find((a) => a.kind === 'HetznerCluster');
    assert.ok(original !== undefined && admissions.includes(original), 'HetznerCluster is served unchanged');
  });
});
