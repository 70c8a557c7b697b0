import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import { hetznerBareMetalMachineAdmission } from './hetzner-bare-metal-machine.js';

function machine(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: 'HetznerBareMetalMachine',
    metadata: { name: 'bm' },
    spec: { sshSpec: { secretRef: { name: 'os-ssh' } }, ...spec },
  };
}

function create(installImage: Record<string, unknown>, hostSelector?: Record<string, unknown>): string[] {
  const object = machine({
    installImage: { partitions: [], ...installImage },
    ...(hostSelector ? { hostSelector } : {}),
  });
  return hetznerBareMetalMachineAdmission
    .validate({ operation: 'CREATE', dryRun: false, object, oldObject: undefined })
    .map(formatFieldError);
}

function update(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return hetznerBareMetalMachineAdmission
    .validate({ operation: 'UPDATE', dryRun: false, object: machine(after), oldObject: machine(before) })
    .map(formatFieldError);
}

const command = {
  imageURLCommand: 'image-url-command-bm-test.sh',
  image: { url: 'oci://ghcr.io/example/ubuntu:v1' },
};
const NAME_HINT = ' (a file name below /shared such as image-url-command-install.sh)';

// CAPH's hetznerbaremetalmachine_validation_test.go cases (reference §2.6).
describe('HetznerBareMetalMachine admission on create', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      'installimage with name and url',
      { image: { name: 'ubuntu-24.04', url: 'https://example.com/ubuntu-24.04.tar.gz' } },
      [],
    ],
    ['installimage with a path', { image: { path: 'path/to/image.tar.gz' } }, []],
    ['image-url-command mode', command, []],
    ['image-url-command mode with WWN device strings', { ...command, deviceStringType: 'wwn' }, []],
    [
      'deviceStringType without a command',
      {
        deviceStringType: 'wwn',
        image: { name: 'ubuntu-24.04', url: 'https://example.com/ubuntu-24.04.tar.gz' },
      },
      [
        'spec.installImage.deviceStringType: Invalid value: "wwn": deviceStringType is only valid when imageURLCommand is set',
      ],
    ],
    [
      'an empty image',
      { image: {} },
      ['spec.installImage.image: Invalid value: {}: have to specify either image name and url or path'],
    ],
    [
      'an installimage URL of unknown type',
      { image: { name: 'ubuntu-24.04', url: 'https://example.com/ubuntu-24.04.invalid' } },
      [
        'spec.installImage.image.url: Invalid value: "https://example.com/ubuntu-24.04.invalid": unknown image type in URL (want oci:// or a file ending in .tar, .tar.gz, .tar.bz, .tar.bz2, .tar.xz, .tgz, .tbz, .txz)',
      ],
    ],
    [
      'a command without url',
      { imageURLCommand: 'image-url-command-bm-test.sh', image: {} },
      ['spec.installImage.image.url: Required value: url is required when imageURLCommand is set'],
    ],
    [
      'a command with image.name',
      { ...command, image: { ...command.image, name: 'ubuntu-24.04' } },
      [
        'spec.installImage.image.name: Invalid value: "ubuntu-24.04": name must be empty when imageURLCommand is set',
      ],
    ],
    [
      'a command with image.path',
      { ...command, image: { ...command.image, path: '/x.tar.gz' } },
      [
        'spec.installImage.image.path: Invalid value: "/x.tar.gz": path must be empty when imageURLCommand is set',
      ],
    ],
    [
      'a command path',
      { ...command, imageURLCommand: '/shared/image-url-command-bm-test.sh' },
      [
        `spec.installImage.imageURLCommand: Invalid value: "/shared/image-url-command-bm-test.sh": must be a basename without slashes${NAME_HINT}`,
      ],
    ],
    [
      'a command name outside the pattern',
      { ...command, imageURLCommand: '1bad-command' },
      [
        `spec.installImage.imageURLCommand: Invalid value: "1bad-command": must match the regex ^image-url-command-[a-z0-9][a-z0-9._-]*$${NAME_HINT}`,
      ],
    ],
    [
      "'..' in the command name",
      { ...command, imageURLCommand: 'image-url-command-bm..test.sh' },
      [
        `spec.installImage.imageURLCommand: Invalid value: "image-url-command-bm..test.sh": must not contain '..'${NAME_HINT}`,
      ],
    ],
  ];
  for (const [name, installImage, errors] of cases) {
    it(`${errors.length === 0 ? 'admits' : 'rejects'} ${name}`, () =>
      assert.deepEqual(create(installImage), errors));
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
  const base = { installImage: { partitions: [], ...command }, hostSelector: { matchLabels: { pool: 'a' } } };
  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      'installImage',
      { ...base, installImage: { ...base.installImage, imageURLCommand: 'image-url-command-v2' } },
      ['spec.installImage: Forbidden: installImage is immutable'],
    ],
    [
      'sshSpec',
      { ...base, sshSpec: { secretRef: { name: 'other' } } },
      ['spec.sshSpec: Forbidden: sshSpec is immutable'],
    ],
    [
      'hostSelector',
      { ...base, hostSelector: { matchLabels: { pool: 'b' } } },
      ['spec.hostSelector: Forbidden: hostSelector is immutable'],
    ],
    ['nothing', base, []],
  ];
  for (const [changed, after, errors] of cases) {
    it(`${errors.length === 0 ? 'admits' : 'forbids'} a change of ${changed}`, () =>
      assert.deepEqual(update(base, after), errors));
  }

  it('lets providerID be set once, then never changed', () => {
    assert.deepEqual(update(base, { ...base, providerID: 'hcloud://bm-1' }), []);
    assert.deepEqual(
      update({ ...base, providerID: 'hcloud://bm-1' }, { ...base, providerID: 'hcloud://bm-2' }),
      ['spec.providerID: Forbidden: providerID is immutable'],
    );
  });
});
