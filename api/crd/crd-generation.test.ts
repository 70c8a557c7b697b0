import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { kinds } from '../v1beta1/index.js';
import { buildCrd, crdFileName, renderCrdFiles } from './crd.js';
import { CRD_DIR, REGENERATE, staleCrdFiles, writeCrdFiles } from './generate.js';
import { lintCrdSchema } from './lint.js';

const CAPH_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  HCloudMachine: ['Cluster', 'Machine', 'Phase', 'Age', 'Reason', 'Message'],
  HCloudMachineTemplate: ['Image', 'Placement group', 'Type', 'Reason', 'Message'],
  HCloudRemediation: [
    'Timeout',
    'Phase',
    'Last Remediated',
    'Retry count',
    'Retry limit',
    'Reason',
    'Message',
  ],
  HCloudRemediationTemplate: ['Strategy', 'Retry limit', 'Timeout'],
  HetznerCluster: ['Cluster', 'Ready', 'Endpoint', 'Regions', 'Network enabled', 'Reason', 'Message'],
  HetznerBareMetalMachine: ['Cluster', 'Host', 'Machine', 'Phase', 'Age', 'Reason', 'Message'],
  HetznerBareMetalMachineTemplate: ['Age'],
  HetznerBareMetalHost: [
    'Phase',
    'IPv4',
    'IPv6',
    'Maintenance',
    'CPU',
    'RAM',
    'HetznerBareMetalMachine',
    'Age',
    'Reason',
    'Message',
  ],
};

describe('CRD generation', () => {
  it('has the checked-in config/crd/bases files equal to freshly generated ones', async () => {
    const stale = await staleCrdFiles();
    assert.deepEqual(stale, [], `config/crd/bases is out of date; regenerate with: ${REGENERATE}`);
  });

  it('reports stale, missing and foreign files, and the writer fixes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imageurl-crds-'));
    try {
      const [first, second] = [...renderCrdFiles().keys()];
      assert.ok(first !== undefined && second !== undefined);
      await writeCrdFiles(dir);
      await writeFile(join(dir, first), 'old\n');
      await rm(join(dir, second));
      await writeFile(join(dir, 'infrastructure.cluster.x-k8s.io_gone.yaml'), 'old\n');
      assert.deepEqual(
        await staleCrdFiles(dir),
        [
          `${first} (stale)`,
          'infrastructure.cluster.x-k8s.io_gone.yaml (not generated)',
          `${second} (missing)`,
        ].sort(),
      );
      await writeCrdFiles(dir);
      assert.deepEqual(await staleCrdFiles(dir), []);
      assert.equal((await readdir(dir)).length, kinds.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('generates the same text twice (stable key order)', () => {
    assert.deepEqual([...renderCrdFiles()], [...renderCrdFiles()]);
  });

  it('writes one CustomResourceDefinition per file, parseable as YAML', async () => {
    for (const kind of kinds) {
      const text = await readFile(join(CRD_DIR, crdFileName(kind)), 'utf8');
      const documents = parseAllDocuments(text).map((document) => document.toJS() as unknown);
      assert.deepEqual(documents, [buildCrd(kind)]);
    }
  });

  it('finds no forbidden keyword in any generated schema of either version', () => {
    for (const kind of kinds) {
      for (const version of buildCrd(kind).spec.versions) {
        assert.deepEqual(lintCrdSchema(version.schema.openAPIV3Schema), [], `${kind.kind} ${version.name}`);
      }
    }
  });

  it('gives every kind both contract labels (Cluster API reads v1beta2 for its v1beta2 contract), group, both versions (v1beta1 stored), short names and CAPH’s names', () => {
    for (const kind of kinds) {
      const crd = buildCrd(kind);
      assert.equal(crd.metadata.name, `${kind.plural}.infrastructure.cluster.x-k8s.io`);
      assert.deepEqual(crd.metadata.labels, {
        'cluster.x-k8s.io/v1beta1': 'v1beta1',
        'cluster.x-k8s.io/v1beta2': 'v1beta2',
      });
      assert.equal(crd.spec.group, 'infrastructure.cluster.x-k8s.io');
      assert.equal(crd.spec.scope, 'Namespaced');
      assert.ok(crd.spec.names.shortNames.length > 0, `${kind.kind} has no short name`);
      assert.deepEqual(
        crd.spec.versions.map(({ name, served, storage }) => ({ name, served, storage })),
        [
          { name: 'v1beta1', served: true, storage: true },
          { name: 'v1beta2', served: true, storage: false },
        ],
      );
    }
  });

  it('has the apiserver convert between the versions through the webhook service’s /convert', () => {
    for (const kind of kinds) {
      assert.deepEqual(buildCrd(kind).spec.conversion, {
        strategy: 'Webhook',
        webhook: {
          conversionReviewVersions: ['v1'],
          clientConfig: { service: { name: 'webhook-service', namespace: 'system', path: '/convert' } },
        },
      });
    }
  });

  it('shows provisioning in v1beta2 from status.initialization.provisioned', () => {
    const cluster = buildCrd(kinds.find((kind) => kind.kind === 'HetznerCluster') ?? assert.fail());
    const columns = cluster.spec.versions.map(
      (version) => version.additionalPrinterColumns.find((column) => column.name === 'Ready')?.jsonPath,
    );
    assert.deepEqual(columns, ['.status.ready', '.status.initialization.provisioned']);
  });

  it('has status subresources and categories where CAPH has them', () => {
    const expected = (plural: string): { status: boolean; categories: string[] } => ({
      // CAPH: no status at all on the bare-metal machine template; hosts are not in `cluster-api`.
      status: plural !== 'hetznerbaremetalmachinetemplates',
      categories: plural === 'hetznerbaremetalhosts' ? [] : ['cluster-api'],
    });
    for (const kind of kinds) {
      const crd = buildCrd(kind);
      const version = crd.spec.versions[0];
      assert.ok(version);
      const { status, categories } = expected(kind.plural);
      assert.equal(version.subresources.status !== undefined, status, `${kind.kind} status subresource`);
      assert.equal(version.schema.openAPIV3Schema.properties !== undefined, true);
      assert.deepEqual(crd.spec.names.categories ?? [], categories, `${kind.kind} categories`);
    }
  });

  it('keeps CAPH’s printer columns in CAPH’s order, adding BootState, Ready and ProviderID to HCloudMachine', () => {
    for (const kind of kinds) {
      const names = kind.printerColumns.map((column) => column.name);
      const caph = CAPH_COLUMNS[kind.kind];
      assert.ok(caph, kind.kind);
      assert.deepEqual(
        names.filter((name) => caph.includes(name)),
        caph,
        `${kind.kind} lost or reordered a CAPH column`,
      );
    }
    const machine = kinds.find((kind) => kind.kind === 'HCloudMachine');
    const columns = new Map(machine?.printerColumns.map((column) => [column.name, column]));
    assert.equal(columns.get('BootState')?.jsonPath, '.status.bootState');
    assert.equal(columns.get('ProviderID')?.jsonPath, '.spec.providerID');
    assert.equal(columns.get('Ready')?.jsonPath, '.status.ready');
    assert.equal(columns.get('Age')?.type, 'date');
  });
});
