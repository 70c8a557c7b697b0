import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import type { AdmissionAttributes } from '../kind-admission.js';
import { hcloudMachineAdmission } from './hcloud-machine.js';

const oci = 'oci://ghcr.io/example/foo:v1';

function machine(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'HCloudMachine',
    metadata: { name: 'm' },
    spec: { type: 'cpx22', ...spec },
  };
}

function create(spec: Record<string, unknown>): string[] {
  const attributes: AdmissionAttributes = {
    operation: 'CREATE',
    dryRun: false,
    object: machine(spec),
    oldObject: undefined,
  };
  return hcloudMachineAdmission.validate(attributes).map(formatFieldError);
}

function update(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const attributes: AdmissionAttributes = {
    operation: 'UPDATE',
    dryRun: false,
    object: machine(after),
    oldObject: machine(before),
  };
  return hcloudMachineAdmission.validate(attributes).map(formatFieldError);
}

const URL_HINT =
  ' (want an absolute URL such as oci://ghcr.io/org/image:v1 or https://example.com/disk.img.zst)';
const NAME_HINT = ' (a file name below /shared such as image-url-command-install.sh)';

// CAPH's TestValidateHCloudMachineSpec cases (reference §2.6), with the spec's command prefix.
describe('HCloudMachine admission on create', () => {
  const cases: { name: string; spec: Record<string, unknown>; errors: string[] }[] = [
    {
      name: 'admits imageURL with a valid command',
      spec: { imageURL: oci, imageURLCommand: 'image-url-command-foo.sh' },
      errors: [],
    },
    {
      name: 'rejects a URL that Go url.ParseRequestURI rejects',
      spec: { imageURL: 'not-a-valid-url', imageURLCommand: 'image-url-command-foo.sh' },
      errors: [
        `spec.imageURL: Invalid value: "not-a-valid-url": parse "not-a-valid-url": invalid URI for request${URL_HINT}`,
      ],
    },
    {
      name: 'rejects imageName together with imageURL',
      spec: { imageName: 'foo-name', imageURL: oci, imageURLCommand: 'image-url-command-foo.sh' },
      errors: ['spec.imageName: Invalid value: "foo-name": imageName and imageURL are mutually exclusive'],
    },
    {
      name: 'requires a command with imageURL',
      spec: { imageURL: oci },
      errors: ['spec.imageURLCommand: Required value: imageURLCommand must be set when imageURL is set'],
    },
    {
      name: 'rejects a command without imageURL',
      spec: { imageName: 'ubuntu-24.04', imageURLCommand: 'image-url-command-foo.sh' },
      errors: [
        'spec.imageURLCommand: Invalid value: "image-url-command-foo.sh": imageURLCommand requires imageURL to be set',
      ],
    },
    {
      name: 'rejects a command path',
      spec: { imageURL: oci, imageURLCommand: '/shared/image-url-command.sh' },
      errors: [
        `spec.imageURLCommand: Invalid value: "/shared/image-url-command.sh": must be a basename without slashes${NAME_HINT}`,
      ],
    },
    {
      name: 'rejects a command name outside the pattern',
      spec: { imageURL: oci, imageURLCommand: '1bad-command' },
      errors: [
        `spec.imageURLCommand: Invalid value: "1bad-command": must match the regex ^image-url-command-[a-z0-9][a-z0-9._-]*$${NAME_HINT}`,
      ],
    },
    {
      name: "rejects '..' in the command name",
      spec: { imageURL: oci, imageURLCommand: 'image-url-command-foo..sh' },
      errors: [
        `spec.imageURLCommand: Invalid value: "image-url-command-foo..sh": must not contain '..'${NAME_HINT}`,
      ],
    },
    {
      name: 'rejects a command without the image-url-command- prefix (spec; CAPH accepts it)',
      spec: { imageURL: oci, imageURLCommand: 'install-foo.sh' },
      errors: [
        `spec.imageURLCommand: Invalid value: "install-foo.sh": must match the regex ^image-url-command-[a-z0-9][a-z0-9._-]*$${NAME_HINT}`,
      ],
    },
    {
      name: 'requires an image',
      spec: {},
      errors: [
        'spec.imageName: Invalid value: "": imageName and imageURL empty. One of these attributes must be set',
      ],
    },
    {
      name: 'reports every problem at once',
      spec: { imageName: 'x', imageURL: 'nope', imageURLCommand: 'bad/name' },
      errors: [
        'spec.imageName: Invalid value: "x": imageName and imageURL are mutually exclusive',
        `spec.imageURL: Invalid value: "nope": parse "nope": invalid URI for request${URL_HINT}`,
        `spec.imageURLCommand: Invalid value: "bad/name": must be a basename without slashes${NAME_HINT}`,
      ],
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => assert.deepEqual(create(testCase.spec), testCase.errors));
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

// CAPH's TestValidateHCloudMachineSpecUpdate cases: exactly one error each.
describe('HCloudMachine admission on update', () => {
  const base = {
    imageURL: oci,
    imageURLCommand: 'image-url-command-v1.sh',
    sshKeys: [{ name: 'ssh-key-1' }],
    placementGroupName: 'pg-1',
  };
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    [
      'type',
      { imageName: 'ubuntu-24.04', type: 'cpx22' },
      { imageName: 'ubuntu-24.04', type: 'cx23' },
      ['spec.type: Forbidden: field is immutable'],
    ],
    [
      'imageName',
      { imageName: 'ubuntu-24.04' },
      { imageName: 'centos-7' },
      ['spec.imageName: Forbidden: field is immutable'],
    ],
    [
      'imageURL',
      base,
      { ...base, imageURL: 'oci://ghcr.io/example/foo:v2' },
      ['spec.imageURL: Forbidden: field is immutable'],
    ],
    [
      'imageURLCommand',
      base,
      { ...base, imageURLCommand: 'image-url-command-v2.sh' },
      ['spec.imageURLCommand: Forbidden: field is immutable'],
    ],
    [
      'sshKeys',
      base,
      { ...base, sshKeys: [{ name: 'ssh-key-1' }, { name: 'ssh-key-2' }] },
      ['spec.sshKeys: Forbidden: field is immutable'],
    ],
    [
      'placementGroupName',
      base,
      { ...base, placementGroupName: 'pg-2' },
      ['spec.placementGroupName: Forbidden: field is immutable'],
    ],
    ['nothing', base, base, []],
  ];
  for (const [changed, before, after, errors] of cases) {
    it(`${errors.length === 0 ? 'admits' : 'forbids'} a change of ${changed}`, () =>
      assert.deepEqual(update(before, after), errors));
  }

  it('lets providerID and publicNetwork change', () => {
    assert.deepEqual(
      update(base, {
        ...base,
        providerID: 'hcloud://42',
        publicNetwork: { enableIPv4: false, enableIPv6: true },
      }),
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
