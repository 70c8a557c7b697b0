import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { CAPI_CONTRACT } from '../../api/cluster-api.js';
import { findClusterApiCrds } from '../../sim/kube-control-plane/index.js';
import { substitute, variablesIn } from '../support/clusterctl-variables.js';
import {
  objectsOf,
  RELEASE_VERSION,
  releaseIntoTemp,
  REPO_ROOT,
  runRelease,
  type K8sObject,
  type ReleaseFiles,
} from '../support/release-output.js';

const TEMPLATES = [
  'cluster-template-image-url.yaml',
  'cluster-template-hcloud-image-url.yaml',
  'cluster-template-baremetal-image-url.yaml',
];

/** What a user sets for the variables without a default (docs/deploy.md lists them). */
const REQUIRED_VALUES: Readonly<Record<string, string>> = {
  CLUSTER_NAME: 'my-cluster',
  KUBERNETES_VERSION: 'v1.34.4',
  CONTROL_PLANE_ENDPOINT_HOST: 'api.my-cluster.example.com',
  HCLOUD_SSH_KEY: 'my-ssh-key',
  IMAGEURL_NODE_IMAGE_URL: 'oci://ghcr.io/example/node:v1.34.4',
};

let release: ReleaseFiles;
/** `group/version Kind` of every kind a CRD serves: imageurl's and Cluster API's. */
let served: Set<string>;

interface Crd {
  spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean }[] };
}

async function servedKinds(dirs: readonly string[]): Promise<Set<string>> {
  const files = (
    await Promise.all(
      dirs.map(async (dir) =>
        (await readdir(dir)).filter((file) => file.endsWith('.yaml')).map((file) => join(dir, file)),
      ),
    )
  ).flat();
  const crds = (await Promise.all(files.map(async (file) => objectsOf(await readFile(file, 'utf8'))))).flat();
  return new Set(
    (crds as unknown as Crd[]).flatMap((crd) =>
      crd.spec.versions
        .filter((version) => version.served)
        .map((version) => `${crd.spec.group}/${version.name} ${crd.spec.names.kind}`),
    ),
  );
}

function generated(name: string): string {
  return substitute(release.files[name] ?? assert.fail(`no ${name}`), REQUIRED_VALUES);
}

before(async () => {
  release = await releaseIntoTemp();
  served = await servedKinds([join(REPO_ROOT, 'config/crd/bases'), findClusterApiCrds()]);
});

after(async () => release.remove());

describe('the clusterctl repository files', () => {
  it('maps the release series to the Cluster API contract the CRDs are labelled with', () => {
    const metadata = parse(release.files['metadata.yaml'] ?? '') as {
      kind: string;
      releaseSeries: { major: number; minor: number; contract: string }[];
    };
    assert.equal(metadata.kind, 'Metadata');
    const [, major, minor] = /^v(\d+)\.(\d+)\./.exec(RELEASE_VERSION) ?? [];
    const series = metadata.releaseSeries.find((s) => s.major === Number(major) && s.minor === Number(minor));
    assert.equal(series?.contract, CAPI_CONTRACT);
  });

  for (const template of TEMPLATES) {
    describe(template, () => {
      it('generates only kinds the Cluster API and imageurl CRDs serve', () => {
        const unserved = objectsOf(generated(template))
          .map((object) => `${object.apiVersion} ${object.kind}`)
          .filter((kind) => !served.has(kind));
        assert.deepEqual(unserved, []);
      });

      it('has a control plane, a MachineDeployment and a MachineHealthCheck, installed from an image URL', () => {
        const objects = objectsOf(generated(template));
        const kinds = objects.map((object) => object.kind);
        for (const kind of ['Cluster', 'HetznerCluster', 'KubeadmControlPlane', 'MachineDeployment'])
          assert.ok(kinds.includes(kind), `no ${kind}`);
        assert.ok(kinds.includes('KubeadmConfigTemplate') && kinds.includes('MachineHealthCheck'));
        const specs = objects
          .filter((object: K8sObject) => object.kind.endsWith('MachineTemplate'))
          .map((object) => (object['spec'] as { template: { spec: Record<string, unknown> } }).template.spec);
        assert.ok(specs.length >= 2);
        for (const spec of specs) {
          const image = (spec['installImage'] as Record<string, unknown> | undefined) ?? spec;
          assert.match(String(image['imageURLCommand']), /^image-url-command-/);
        }
      });

      it('passes imageurl validate once its variables are set', async () => {
        const file = join(release.dir, `generated-${template}`);
        await writeFile(file, generated(template));
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [join(REPO_ROOT, 'bin/imageurl.js'), 'validate', '-o', 'json', file],
          { cwd: REPO_ROOT },
        ).catch((error: unknown) => {
          const failed = error as { stdout?: string; stderr?: string };
          assert.fail(`imageurl validate failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
        });
        const documents = (JSON.parse(stdout) as { documents: { kind: string; status: string }[] }).documents;
        const checked = documents.filter((document) => document.status !== 'skipped');
        assert.ok(checked.length >= 3, 'validate checked too few of the template’s objects');
        assert.deepEqual(
          checked.filter((document) => document.status !== 'valid'),
          [],
        );
      });
    });
  }

  it('cluster-template-hcloud-image-url.yaml: load balancer endpoint, spread placement groups, every node from an image URL, remediation', () => {
    const template = 'cluster-template-hcloud-image-url.yaml';
    const required = variablesIn(release.files[template] ?? '').filter((use) => use.default === undefined);
    assert.ok(
      !required.some((use) => use.name === 'CONTROL_PLANE_ENDPOINT_HOST'),
      'the load balancer is the endpoint: no host to give',
    );
    const objects = objectsOf(generated(template));
    const ofKind = (kind: string): Record<string, unknown>[] =>
      objects
        .filter((object) => object.kind === kind)
        .map((object) => object['spec'] as Record<string, unknown>);
    const cluster = ofKind('HetznerCluster').at(0) ?? assert.fail('no HetznerCluster');
    assert.deepEqual(cluster['controlPlaneEndpoint'], { host: '', port: 443 });
    assert.equal((cluster['controlPlaneLoadBalancer'] as { enabled: boolean }).enabled, true);
    const groups = cluster['hcloudPlacementGroups'] as { name: string; type: string }[];
    assert.deepEqual(groups, [
      { name: 'control-plane', type: 'spread' },
      { name: 'md-0', type: 'spread' },
    ]);
    const machines = ofKind('HCloudMachineTemplate').map(
      (spec) => (spec['template'] as { spec: Record<string, unknown> }).spec,
    );
    assert.deepEqual(
      machines.map((spec) => [spec['placementGroupName'], typeof spec['imageURL']]),
      [
        ['control-plane', 'string'],
        ['md-0', 'string'],
      ],
    );
    const remediations = objects
      .filter((object) => object.kind === 'HCloudRemediationTemplate')
      .map((object) => object.metadata.name);
    const referenced = ofKind('MachineHealthCheck').map(
      (spec) => (spec['remediation'] as { templateRef: { kind: string; name: string } }).templateRef,
    );
    assert.equal(referenced.length, 2, 'control planes and workers are health-checked');
    for (const ref of referenced) {
      assert.equal(ref.kind, 'HCloudRemediationTemplate');
      assert.ok(remediations.includes(ref.name), `no HCloudRemediationTemplate ${ref.name}`);
    }
  });

  it('documents every variable of the components and the templates in docs/deploy.md', async () => {
    const docs = await readFile(join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
    const names = Object.values(release.files).flatMap((text) => variablesIn(text).map((use) => use.name));
    const undocumented = [...new Set(names)].filter((name) => !docs.includes(`\`${name}\``));
    assert.deepEqual(undocumented, []);
  });

  it('refuses to release without a VERSION, in one line, with exit code 1', async () => {
    const run = await runRelease([]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /missing VERSION; usage: npm run release -- v/);
  });
});
