import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRoutes, qualifiedKind, webhookPath, type ServedKind } from './routes.js';

const kind = (name: string): ServedKind => ({
  kind: name,
  plural: `${name.toLowerCase()}s`,
  validate: () => [],
});

describe('webhook routes', () => {
  it("uses controller-runtime's paths", () => {
    assert.equal(
      webhookPath('validate', 'HCloudMachine'),
      '/validate-infrastructure-cluster-x-k8s-io-v1beta1-hcloudmachine',
    );
    assert.equal(
      webhookPath('mutate', 'HetznerBareMetalMachineTemplate'),
      '/mutate-infrastructure-cluster-x-k8s-io-v1beta1-hetznerbaremetalmachinetemplate',
    );
  });

  it('qualifies kinds with the API group, as Kubernetes messages do', () => {
    assert.equal(qualifiedKind('HetznerCluster'), 'HetznerCluster.infrastructure.cluster.x-k8s.io');
  });

  it('serves a validate and a mutate path per kind, and nothing else', () => {
    const machine = kind('HCloudMachine');
    const routes = buildRoutes([machine, kind('HetznerCluster')]);
    assert.equal(routes.size, 4);
    assert.deepEqual(routes.get(webhookPath('validate', 'HCloudMachine')), {
      type: 'validate',
      admission: machine,
    });
    assert.deepEqual(routes.get(webhookPath('mutate', 'HCloudMachine')), {
      type: 'mutate',
      admission: machine,
    });
    assert.equal(routes.get(webhookPath('validate', 'HCloudMachineTemplate')), undefined);
    assert.equal(buildRoutes([]).size, 0);
  });

  it('refuses two kinds that would share a path', () => {
    assert.throws(
      () => buildRoutes([kind('HCloudMachine'), kind('HcloudMachine')]),
      /kinds HCloudMachine and HcloudMachine both map to the path \/validate-.*-hcloudmachine/,
    );
  });
});
