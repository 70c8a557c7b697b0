import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ApiextensionsV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { z } from 'zod';
import { buildCrd } from '../../api/crd/crd.js';
import { examples } from '../../api/v1beta1/examples.js';
import {
  GROUP,
  HCloudMachineSchema,
  HCloudMachineTemplateSchema,
  HetznerBareMetalHostSchema,
  HetznerBareMetalMachineSchema,
  HetznerBareMetalMachineTemplateSchema,
  HetznerClusterSchema,
  kinds,
  VERSION,
} from '../../api/v1beta1/index.js';
import { KubeControlPlane, startControlPlane } from '../../sim/kube-control-plane/index.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { rejection } from '../support/kube-errors.js';
import { createNamespace } from '../support/kube-objects.js';

const CRD_DIR = fileURLToPath(new URL('../../config/crd/bases/', import.meta.url));
const NAMESPACE = 'crds-test';
const FIELD_MANAGER = 'imageurl-crds-test';

type Json = Record<string, unknown>;

interface RawResponse {
  readonly status: number;
  readonly warnings: string[];
  readonly body: string;
}

/** An HTTPS request to the apiserver as the admin, returning status, Warning headers and body. */
async function raw(
  config: KubeConfig,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const server = new URL(config.getCurrentCluster()?.server ?? assert.fail('no current cluster'));
  const requestOptions: RequestOptions = {
    method,
    hostname: server.hostname,
    port: server.port,
    path,
    headers: { Accept: 'application/json', ...options.headers },
  };
  await config.applyToHTTPSOptions(requestOptions);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(requestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const warning = res.headers.warning;
        const warnings = warning === undefined ? [] : Array.isArray(warning) ? warning : [warning];
        resolve({ status: res.statusCode ?? 0, warnings, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const resource = (plural: string): { group: string; version: string; plural: string; namespace: string } => ({
  group: GROUP,
  version: VERSION,
  plural,
  namespace: NAMESPACE,
});

/** A deep copy of an example with `path` (dot-separated) set to `value`. */
function withField(object: Json, path: string, value: unknown): Json {
  const copy = structuredClone(object);
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let node: Json = copy;
  for (const key of keys) node = node[key] as Json;
  node[last] = value;
  return copy;
}

describe('imageurl CRDs in a real kube-apiserver', () => {
  let controlPlane: KubeControlPlane | undefined;
  let config: KubeConfig;
  let objects: CustomObjectsApi;

  /** What the apiserver answered to creating each of our CRDs, by plural. */
  const installs = new Map<string, RawResponse>();

  before(async () => {
    // Cluster API's CRDs come with the control plane; ours are created here, with strict field
    // validation, so that the test sees what the apiserver says about a fresh create of each.
    controlPlane = await startControlPlane();
    config = controlPlane.kubeConfig();
    objects = config.makeApiClient(CustomObjectsApi);
    for (const kind of kinds) {
      const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions?fieldManager=${FIELD_MANAGER}&fieldValidation=Strict`;
      const response = await raw(config, 'POST', path, {
        headers: { 'Content-Type': 'application/yaml' },
        body: await readFile(join(CRD_DIR, `${GROUP}_${kind.plural}.yaml`), 'utf8'),
      });
      installs.set(kind.plural, response);
    }
    for (const kind of kinds) await servable(kind.plural);
    await createNamespace(config, NAMESPACE);
  });

  after(async () => {
    await controlPlane?.stop();
  });

  /** Waits until the CRD of `plural` is Established and its objects can be listed. */
  async function servable(plural: string): Promise<void> {
    const api = config.makeApiClient(ApiextensionsV1Api);
    await waitFor(
      async () => {
        const crd = await api.readCustomResourceDefinition({ name: `${plural}.${GROUP}` });
        const established = crd.status?.conditions?.some(
          (c) => c.type === 'Established' && c.status === 'True',
        );
        if (established !== true) return undefined;
        await objects.listClusterCustomObject({ group: GROUP, version: VERSION, plural, limit: 1 });
        return true;
      },
      { deadlineMs: 30_000, description: `${plural} to be served` },
    );
  }

  /** Creates `body`, reads it back, and checks the stored spec is what the zod schema makes of it. */
  async function roundTrip(plural: string, schema: z.ZodType, body: Json): Promise<Json> {
    await objects.createNamespacedCustomObject({ ...resource(plural), body, fieldValidation: 'Ignore' });
    const name = (body.metadata as { name: string }).name;
    const stored = (await objects.getNamespacedCustomObject({ ...resource(plural), name })) as Json;
    const parsed = schema.parse(body) as Json;
    assert.deepEqual(stored.spec, parsed.spec, 'apiserver defaulting/pruning and zod parse differ');
    schema.parse(stored); // what the apiserver returns parses too
    return stored;
  }

  it('creates every CRD with fieldValidation=Strict and gets no warnings', () => {
    for (const kind of kinds) {
      const response = installs.get(kind.plural);
      assert.ok(response, `${kind.plural} was not created`);
      assert.equal(response.status, 201, `${kind.plural}: ${response.body}`);
      assert.deepEqual(response.warnings, [], `${kind.plural} drew warnings`);
      const crd = JSON.parse(response.body) as { metadata: Json; spec: Json };
      assert.deepEqual(crd.metadata.labels, {
        'cluster.x-k8s.io/v1beta1': 'v1beta1',
        'cluster.x-k8s.io/v1beta2': 'v1beta2',
      });
    }
  });

  it('re-applies every CRD server-side (fieldValidation=Strict) as a no-op with the names accepted', async () => {
    for (const kind of kinds) {
      const path =
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${kind.plural}.${GROUP}` +
        `?fieldManager=${FIELD_MANAGER}&fieldValidation=Strict&force=true`;
      const response = await raw(config, 'PATCH', path, {
        headers: { 'Content-Type': 'application/apply-patch+yaml' },
        body: await readFile(join(CRD_DIR, `${GROUP}_${kind.plural}.yaml`), 'utf8'),
      });
      assert.equal(response.status, 200, `${kind.plural}: ${response.body}`);
      assert.deepEqual(response.warnings, [], `${kind.plural} drew warnings`);
      const crd = JSON.parse(response.body) as {
        metadata: { generation: number };
        status: { acceptedNames: Json };
      };
      assert.equal(crd.metadata.generation, 1, `${kind.plural} changed on re-apply`);
      assert.deepEqual(crd.status.acceptedNames, buildCrd(kind).spec.names);
    }
  });

  it('serves every kind with its short names and categories in discovery', async () => {
    const response = await raw(config, 'GET', `/apis/${GROUP}/${VERSION}`);
    const list = JSON.parse(response.body) as {
      resources: { name: string; kind: string; shortNames?: string[]; categories?: string[] }[];
    };
    for (const kind of kinds) {
      const served = list.resources.find((r) => r.name === kind.plural);
      assert.ok(served, `${kind.plural} is not served`);
      assert.deepEqual(served.shortNames, kind.shortNames);
      assert.deepEqual(served.categories ?? [], kind.categories);
      const status = list.resources.some((r) => r.name === `${kind.plural}/status`);
      assert.equal(status, kind.statusSubresource, `${kind.plural}/status`);
    }
  });

  it('accepts CAPH’s HCloudMachineTemplate example (cpx22, imageURL, imageURLCommand) unchanged', async () => {
    const stored = await roundTrip(
      'hcloudmachinetemplates',
      HCloudMachineTemplateSchema,
      examples.hcloudMachineTemplate,
    );
    assert.deepEqual(stored.spec, examples.hcloudMachineTemplate.spec);
  });

  it('applies CAPH’s defaults to a HetznerCluster from CAPH’s cluster template', async () => {
    const stored = await roundTrip('hetznerclusters', HetznerClusterSchema, examples.hetznerCluster);
    const spec = HetznerClusterSchema.parse(stored).spec;
    assert.deepEqual(spec.hcloudNetwork, {
      enabled: false,
      cidrBlock: '10.0.0.0/16',
      subnetCidrBlock: '10.0.0.0/24',
      networkZone: 'eu-central',
    });
    assert.deepEqual(spec.controlPlaneLoadBalancer, {
      enabled: true,
      algorithm: 'round_robin',
      type: 'lb11',
      port: 6443,
      region: 'fsn1',
    });
    assert.equal(spec.hetznerSecretRef.key.sshKey, 'hcloud-ssh-key-name');
    assert.equal(spec.hetznerSecretRef.name, 'hcloud');
  });

  it('applies CAPH’s defaults to a HetznerBareMetalMachineTemplate in imageURLCommand mode', async () => {
    const stored = await roundTrip(
      'hetznerbaremetalmachinetemplates',
      HetznerBareMetalMachineTemplateSchema,
      examples.hetznerBareMetalMachineTemplate,
    );
    const { installImage, sshSpec } = HetznerBareMetalMachineTemplateSchema.parse(stored).spec.template.spec;
    assert.equal(installImage.swraid, 0);
    assert.equal(installImage.swraidLevel, 1);
    assert.equal(installImage.deviceStringType, 'wwn');
    assert.equal(sshSpec?.portAfterInstallImage, 22);
  });

  it('accepts a HetznerBareMetalMachine and both HetznerBareMetalHost examples from CAPH’s docs', async () => {
    const machine = await roundTrip(
      'hetznerbaremetalmachines',
      HetznerBareMetalMachineSchema,
      examples.hetznerBareMetalMachine,
    );
    assert.equal(HetznerBareMetalMachineSchema.parse(machine).spec.sshSpec?.portAfterInstallImage, 22);
    await roundTrip('hetznerbaremetalhosts', HetznerBareMetalHostSchema, examples.hetznerBareMetalHost);
    await roundTrip('hetznerbaremetalhosts', HetznerBareMetalHostSchema, examples.hetznerBareMetalHostRaid);
  });

  it('defaults errorCount when the controller writes a host’s spec.status', async () => {
    const body = withField(examples.hetznerBareMetalHost, 'metadata.name', 'bm-status');
    const spec = body.spec as Json;
    spec.status = {
      hetznerClusterRef: 'my-cluster',
      provisioningState: 'image-installing',
      ipv4: '192.0.2.10',
    };
    const stored = await roundTrip('hetznerbaremetalhosts', HetznerBareMetalHostSchema, body);
    assert.equal((stored.spec as { status: { errorCount: number } }).status.errorCount, 0);
  });

  it('prunes unknown fields like CAPH’s CRDs, and rejects them under fieldValidation=Strict', async () => {
    let body = withField(examples.hcloudMachineTemplate, 'metadata.name', 'with-unknown-fields');
    body = withField(body, 'spec.template.spec.unknownField', 'x');
    body = withField(body, 'spec.template.metadata', { labels: { a: 'b' }, name: 'not-a-template-field' });
    body = withField(body, 'spec.bogus', true);
    const stored = await roundTrip('hcloudmachinetemplates', HCloudMachineTemplateSchema, body);
    assert.deepEqual(stored.spec, {
      template: { metadata: { labels: { a: 'b' } }, spec: examples.hcloudMachineTemplate.spec.template.spec },
    });
    const strict = withField(body, 'metadata.name', 'strict-unknown-fields');
    const { code, status } = await rejection(
      objects.createNamespacedCustomObject({
        ...resource('hcloudmachinetemplates'),
        body: strict,
        fieldValidation: 'Strict',
      }),
    );
    assert.equal(code, 400);
    assert.match(status.message ?? '', /unknown field "spec\.bogus"/);
  });

  it('rejects wrong enum values with 422, naming the field (and zod rejects them too)', async () => {
    const cases: [string, z.ZodType, Json, RegExp][] = [
      [
        'hetznerclusters',
        HetznerClusterSchema,
        withField(examples.hetznerCluster, 'spec.controlPlaneRegions', ['fsn9']),
        /spec\.controlPlaneRegions\[0\]: Unsupported value: "fsn9"/,
      ],
      [
        'hetznerbaremetalmachinetemplates',
        HetznerBareMetalMachineTemplateSchema,
        withField(
          examples.hetznerBareMetalMachineTemplate,
          'spec.template.spec.installImage.deviceStringType',
          'long',
        ),
        /spec\.template\.spec\.installImage\.deviceStringType: Unsupported value: "long"/,
      ],
      [
        'hetznerbaremetalmachines',
        HetznerBareMetalMachineSchema,
        withField(examples.hetznerBareMetalMachine, 'spec.installImage.swraid', 2),
        /spec\.installImage\.swraid: Unsupported value: 2/,
      ],
    ];
    for (const [plural, schema, body, message] of cases) {
      const named = withField(body, 'metadata.name', `bad-enum-${plural}`);
      const { code, status } = await rejection(
        objects.createNamespacedCustomObject({ ...resource(plural), body: named }),
      );
      assert.equal(code, 422, plural);
      assert.match(status.message ?? '', message);
      assert.equal(schema.safeParse(named).success, false, `zod accepted the bad ${plural}`);
    }
  });

  it('writes status only through the status subresource, and rejects an unknown bootState', async () => {
    const plural = 'hcloudmachines';
    const { name } = examples.hcloudMachine.metadata;
    const created = await roundTrip(plural, HCloudMachineSchema, examples.hcloudMachine);
    assert.deepEqual((created.spec as Json).publicNetwork, { enableIPv4: true, enableIPv6: true });
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${NAMESPACE}/${plural}/${name}`;
    const mergePatch = { 'Content-Type': 'application/merge-patch+json' };
    const status = {
      ready: false,
      bootState: 'RunningImageCommand',
      bootStateSince: '2026-01-02T03:04:05Z',
      externalIDs: { actionIdCreateServer: -1, actionIdEnableRescueSystem: 4711 },
      instanceState: 'running',
      observedGeneration: 1,
    };
    const ignored = await raw(config, 'PATCH', path, {
      headers: mergePatch,
      body: JSON.stringify({ status, spec: { providerID: 'hcloud://42' } }),
    });
    assert.equal(ignored.status, 200, ignored.body);
    assert.equal((JSON.parse(ignored.body) as Json).status, undefined, 'the main resource wrote status');
    const patched = await raw(config, 'PATCH', `${path}/status`, {
      headers: mergePatch,
      body: JSON.stringify({ status }),
    });
    assert.equal(patched.status, 200, patched.body);
    const machine = HCloudMachineSchema.parse(JSON.parse(patched.body));
    assert.deepEqual(machine.status, status);
    const bad = await raw(config, 'PATCH', `${path}/status`, {
      headers: mergePatch,
      body: JSON.stringify({ status: { bootState: 'Bogus' } }),
    });
    assert.equal(bad.status, 422, bad.body);
    assert.match(bad.body, /status\.bootState: Unsupported value: \\"Bogus\\"/);
  });

  it('lists HCloudMachines as a Table with CAPH’s columns plus BootState, Ready and ProviderID', async () => {
    const response = await raw(
      config,
      'GET',
      `/apis/${GROUP}/${VERSION}/namespaces/${NAMESPACE}/hcloudmachines`,
      {
        headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
      },
    );
    assert.equal(response.status, 200, response.body);
    const table = JSON.parse(response.body) as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    assert.equal(table.kind, 'Table');
    const columns = table.columnDefinitions.map((column) => column.name);
    assert.deepEqual(columns, [
      'Name',
      'Cluster',
      'Machine',
      'Phase',
      'BootState',
      'Ready',
      'ProviderID',
      'Age',
      'Reason',
      'Message',
    ]);
    const row = table.rows[0]?.cells ?? [];
    const cell = (name: string): unknown => row[columns.indexOf(name)];
    assert.equal(cell('Name'), examples.hcloudMachine.metadata.name);
    assert.equal(cell('Cluster'), 'my-cluster');
    assert.equal(cell('Phase'), 'running');
    assert.equal(cell('BootState'), 'RunningImageCommand');
    assert.equal(cell('Ready'), false);
    assert.equal(cell('ProviderID'), 'hcloud://42');
  });
});
