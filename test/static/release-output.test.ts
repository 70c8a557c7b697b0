import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Command } from '@commander-js/extra-typings';
import { addControllerFlags } from '../../src/cli/commands/controller-flags.js';
import {
  defaultComponents,
  RELEASE_VERSION,
  releaseIntoTemp,
  type K8sObject,
  type ReleaseFiles,
} from '../support/release-output.js';
import { variablesIn } from '../support/clusterctl-variables.js';

const PROVIDER_LABEL = 'cluster.x-k8s.io/provider';
const NAMESPACE = 'imageurl-system';

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { optional?: boolean } } }[];
  ports?: { name: string; containerPort: number }[];
  securityContext?: Record<string, unknown>;
  resources?: { requests?: object; limits?: object };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
  initContainers: Container[];
  volumes: { name: string; emptyDir?: object; secret?: { secretName: string } }[];
}

interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

let release: ReleaseFiles;
let objects: K8sObject[];

const ofKind = <T extends K8sObject = K8sObject>(kind: string): T[] =>
  objects.filter((object) => object.kind === kind) as T[];
const theDeployment = (): Deployment => ofKind<Deployment>('Deployment')[0] ?? assert.fail('no Deployment');
const manager = (): Container =>
  theDeployment().spec.template.spec.containers.find((container) => container.name === 'manager') ??
  assert.fail('no container named manager');
const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The value of `--flag=value` in the manager's arguments. */
const flag = (name: string): string | undefined =>
  manager()
    .args?.find((arg) => arg.startsWith(`${name}=`))
    ?.slice(name.length + 1);

before(async () => {
  release = await releaseIntoTemp();
  objects = defaultComponents(release);
});

after(async () => release.remove());

describe('infrastructure-components.yaml', () => {
  it('has one Namespace, imageurl-system, and puts every namespaced object in it', () => {
    assert.deepEqual(
      ofKind('Namespace').map((namespace) => namespace.metadata.name),
      [NAMESPACE],
    );
    const clusterScoped = new Set([
      'Namespace',
      'CustomResourceDefinition',
      'ClusterRole',
      'ClusterRoleBinding',
      'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration',
    ]);
    const elsewhere = objects
      .filter((object) => !clusterScoped.has(object.kind) && object.metadata.namespace !== NAMESPACE)
      .map((object) => `${object.kind} ${object.metadata.name}`);
    assert.deepEqual(elsewhere, []);
  });

  it('labels every object with the provider label, and the CRDs with their contract', () => {
    const unlabelled = objects.filter(
      (object) => object.metadata.labels?.[PROVIDER_LABEL] !== 'infrastructure-imageurl',
    );
    assert.deepEqual(
      unlabelled.map((object) => `${object.kind} ${object.metadata.name}`),
      [],
    );
    for (const crd of ofKind('CustomResourceDefinition'))
      assert.equal(crd.metadata.labels?.['cluster.x-k8s.io/v1beta1'], 'v1beta1', crd.metadata.name);
  });

  it('runs one replica of the container manager, with a selector matching its pods', () => {
    const deployments = ofKind<Deployment>('Deployment');
    assert.equal(deployments.length, 1);
    const { spec } = theDeployment();
    assert.equal(spec.replicas, 1);
    assert.deepEqual(
      spec.template.spec.containers.map((container) => container.name),
      ['manager'],
    );
    assert.ok(matches(spec.selector.matchLabels, spec.template.metadata.labels));
  });

  it('routes every Service and webhook to the Deployment’s pods and a named port', () => {
    const { spec } = theDeployment();
    const ports = new Set(manager().ports?.map((port) => port.name));
    const services = ofKind<
      K8sObject & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }
    >('Service');
    for (const service of services) {
      assert.ok(
        matches(service.spec.selector, spec.template.metadata.labels),
        `${service.metadata.name} selector`,
      );
      for (const port of service.spec.ports)
        assert.ok(ports.has(port.targetPort), `${port.targetPort} is no port`);
    }
    const webhooks = [...ofKind('MutatingWebhookConfiguration'), ...ofKind('ValidatingWebhookConfiguration')];
    assert.equal(webhooks.length, 2);
    for (const configuration of webhooks)
      for (const webhook of configuration['webhooks'] as {
        clientConfig: { service: { name: string; namespace: string } };
      }[]) {
        const { name, namespace } = webhook.clientConfig.service;
        assert.ok(
          services.some(
            (service) => service.metadata.name === name && service.metadata.namespace === namespace,
          ),
        );
      }
  });

  it('names released images by the release version, never latest', () => {
    const { spec } = theDeployment().spec.template;
    const images = [...spec.containers, ...spec.initContainers].map((container) => container.image);
    assert.equal(images.length, 2);
    for (const image of images) {
      assert.ok(!/:latest$/.test(image) && /:[^/]+$/.test(image), `${image} has no version tag`);
      assert.ok(image.endsWith(`:${RELEASE_VERSION}`), image);
    }
    assert.ok(!/:latest\b/.test(release.files['infrastructure-components.yaml'] ?? ''));
  });

  it('gets every injected CA from a Certificate that exists and serves the webhook Service', () => {
    const certificates = ofKind<K8sObject & { spec: { dnsNames: string[]; secretName: string } }>(
      'Certificate',
    );
    const injected = objects.filter(
      (object) => object.metadata.annotations?.['cert-manager.io/inject-ca-from'],
    );
    // The two webhook configurations and every CRD (its conversion webhook).
    assert.deepEqual(injected.map((object) => object.kind).sort(), [
      ...ofKind('CustomResourceDefinition').map(() => 'CustomResourceDefinition'),
      'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration',
    ]);
    assert.equal(ofKind('CustomResourceDefinition').length, 8);
    for (const object of injected) {
      const [namespace, name] = (object.metadata.annotations?.['cert-manager.io/inject-ca-from'] ?? '').split(
        '/',
      );
      const certificate = certificates.find(
        (c) => c.metadata.namespace === namespace && c.metadata.name === name,
      );
      assert.ok(certificate, `${object.kind}: no Certificate ${namespace}/${name}`);
      const service = ofKind('Service')[0] ?? assert.fail('no Service');
      assert.ok(certificate.spec.dnsNames.includes(`${service.metadata.name}.${NAMESPACE}.svc`));
      const volumes = theDeployment().spec.template.spec.volumes;
      assert.ok(volumes.some((volume) => volume.secret?.secretName === certificate.spec.secretName));
    }
  });

  it('has every CRD converted by the webhook Service’s /convert', () => {
    const service = ofKind('Service')[0] ?? assert.fail('no Service');
    const crds = ofKind<K8sObject & { spec: { conversion?: unknown } }>('CustomResourceDefinition');
    for (const crd of crds) {
      assert.deepEqual(
        crd.spec.conversion,
        {
          strategy: 'Webhook',
          webhook: {
            conversionReviewVersions: ['v1'],
            clientConfig: {
              service: { name: service.metadata.name, namespace: NAMESPACE, path: '/convert' },
            },
          },
        },
        crd.metadata.name,
      );
    }
  });

  it('runs every container as non-root, read-only, without capabilities or privilege escalation', () => {
    const { spec } = theDeployment().spec.template;
    assert.equal(spec.securityContext['runAsNonRoot'], true);
    assert.deepEqual(spec.securityContext['seccompProfile'], { type: 'RuntimeDefault' });
    for (const container of [...spec.containers, ...spec.initContainers]) {
      const context = container.securityContext ?? {};
      assert.equal(context['readOnlyRootFilesystem'], true, container.name);
      assert.equal(context['allowPrivilegeEscalation'], false, container.name);
      assert.deepEqual(context['capabilities'], { drop: ['ALL'] }, container.name);
      assert.ok(container.resources?.requests && container.resources.limits, `${container.name} resources`);
    }
  });

  it('probes the health port and keeps metrics on loopback', () => {
    const container = manager();
    assert.equal(flag('--health-probe-bind-address'), ':8081');
    assert.ok(container.ports?.some((port) => port.name === 'healthz' && port.containerPort === 8081));
    assert.deepEqual(container.livenessProbe?.httpGet, { path: '/healthz', port: 'healthz' });
    assert.deepEqual(container.readinessProbe?.httpGet, { path: '/readyz', port: 'healthz' });
    assert.match(flag('--metrics-bind-address') ?? '', /^127\.0\.0\.1:\d+$/);
  });

  it('elects a leader but keeps standbys ready, so a rolling update can finish', () => {
    const args = manager().args ?? [];
    assert.ok(args.includes('--leader-elect'));
    // With readiness tied to leadership the new pod never becomes ready while the old one leads.
    assert.ok(
      args.includes('--no-ready-requires-leadership'),
      'readiness requires leadership: rollouts deadlock',
    );
  });

  it('serves the webhooks in-process and fills /shared from the commands image', () => {
    const { spec } = theDeployment().spec.template;
    assert.ok(flag('--webhook-cert-dir'));
    assert.equal(flag('--commands-dir'), '/shared');
    const shared = spec.volumes.find((volume) => volume.name === 'shared');
    assert.ok(shared?.emptyDir, '/shared is an emptyDir');
    const init = spec.initContainers.find((container) => container.name === 'commands');
    assert.ok(init?.volumeMounts?.some((mount) => mount.name === 'shared' && mount.mountPath === '/shared'));
    assert.ok(manager().volumeMounts?.some((mount) => mount.name === 'shared' && mount.readOnly === true));
  });

  it('reads OCI_REGISTRY_AUTH_TOKEN from an optional Secret, never from a literal', () => {
    const token = manager().env?.find((env) => env.name === 'OCI_REGISTRY_AUTH_TOKEN');
    assert.equal(token?.value, undefined);
    assert.equal(token?.valueFrom?.secretKeyRef?.optional, true);
  });

  it('passes the controller only flags it has', () => {
    const known = new Set(addControllerFlags(new Command('controller')).options.map((option) => option.long));
    const args = manager().args ?? [];
    assert.equal(args[0], 'controller');
    const unknown = args.slice(1).filter((arg) => !known.has(arg.split('=')[0]));
    assert.deepEqual(unknown, []);
  });

  it('gives every variable a default clusterctl counts as one, so init needs none of them set', () => {
    // clusterctl (yamlprocessor) treats `${NAME:=}` like `${NAME}`: "value for variables [NAME] is not set".
    const variables = variablesIn(release.files['infrastructure-components.yaml'] ?? '');
    assert.ok(variables.length > 0);
    for (const variable of variables)
      assert.ok(variable.default, `${variable.name} has no non-empty default`);
    const env = new Map(manager().env?.map((entry) => [entry.name, entry.value]));
    assert.equal(env.get('IMAGEURL_NAMESPACE'), '', 'an unset IMAGEURL_WATCH_NAMESPACE watches everything');
    assert.equal(env.get('IMAGEURL_REGISTRY_TOKEN_HOSTS'), '');
    assert.equal(
      env.get('IMAGEURL_WATCH_FILTER'),
      '',
      'an unset IMAGEURL_WATCH_FILTER reconciles everything',
    );
  });

  it('names cluster-scoped RBAC after the namespace, so clusterctl delete removes it', () => {
    // clusterctl deletes a provider's cluster-scoped objects (but CRDs, webhook configurations)
    // only when their name starts with "<provider namespace>-".
    for (const object of [...ofKind('ClusterRole'), ...ofKind('ClusterRoleBinding')])
      assert.ok(object.metadata.name.startsWith(`${NAMESPACE}-`), `${object.kind} ${object.metadata.name}`);
  });

  it('binds the ClusterRole and the leader-election Role to the Deployment’s ServiceAccount', () => {
    const account = theDeployment().spec.template.spec.serviceAccountName;
    assert.ok(ofKind('ServiceAccount').some((object) => object.metadata.name === account));
    for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
      const bindings = ofKind<K8sObject & { subjects: { name: string; namespace: string }[] }>(kind);
      assert.ok(
        bindings.some((binding) =>
          binding.subjects.some((subject) => subject.name === account && subject.namespace === NAMESPACE),
        ),
        `no ${kind} for ${account}`,
      );
    }
  });
});
