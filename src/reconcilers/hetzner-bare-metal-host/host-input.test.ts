import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples } from '../../../api/v1beta1/index.js';
import { objectKey, type ClusterLike, type Informer, type KubeObject } from '../../kube/index.js';
import { ObjectStore } from '../../kube/informer/store.js';
import { KnownSecrets } from '../../util/known-secrets.js';
import { SecretReads } from '../shared/secret-reads.js';
import { gatherHostInput, type GatheredHost, type HostCaches } from './host-input.js';
import { earlierHostOfServer, indexByServer } from './server-claim.js';
import type {
  BareMetalHostObject,
  BareMetalMachineObject,
  HetznerClusterObject,
  SecretObject,
} from './types.js';

const NS = 'ns';
const CLUSTER_TOKEN = 'cluster:t0ken';
const CONTROLLER = { token: 'controller:t0ken', hosts: undefined };

/** A cache holding `objects`: the gathering reads only the informers' stores. */
function cache<T extends KubeObject>(objects: readonly T[]): Informer<T> {
  const store = new ObjectStore<T>();
  for (const object of objects)
    store.set(objectKey(object.metadata.namespace, object.metadata.name ?? ''), object);
  return { store } as unknown as Informer<T>;
}

function hostCache(hosts: readonly BareMetalHostObject[]): Informer<BareMetalHostObject> {
  const informer = cache(hosts);
  indexByServer(informer);
  return informer;
}

function secret(name: string, data: Record<string, string>): SecretObject {
  const encoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  return { metadata: { name, namespace: NS }, data: encoded };
}

function hetznerCluster(): HetznerClusterObject {
  const object = structuredClone(examples.hetznerCluster) as unknown as HetznerClusterObject;
  object.metadata = { name: 'my-cluster', namespace: NS };
  object.spec.ociRegistryAuth = { secretRef: { name: 'registry', key: 'token' }, hosts: ['ghcr.io'] };
  return object;
}

/** A host claimed by machine `m1`, asked to install `imageUrl`. */
function host(imageUrl: string): BareMetalHostObject {
  const object = structuredClone(examples.hetznerBareMetalHost) as unknown as BareMetalHostObject;
  object.metadata = { name: 'bm-0', namespace: NS };
  object.spec.consumerRef = { name: 'm1', namespace: NS, kind: 'HetznerBareMetalMachine' };
  object.spec.status = {
    hetznerClusterRef: 'my-cluster',
    installImage: { image: { url: imageUrl }, imageURLCommand: 'install', swraid: 0 },
  } as BareMetalHostObject['spec']['status'];
  return object;
}

/** The caches, with Secrets read by name from `secrets` as the apiserver would serve them. */
function caches(secrets: readonly SecretObject[]): HostCaches & { secrets: SecretReads } {
  const byName = (namespace: string, name: string): Promise<SecretObject | undefined> =>
    Promise.resolve(secrets.find((s) => s.metadata.namespace === namespace && s.metadata.name === name));
  return {
    secrets: new SecretReads(byName, new KnownSecrets()),
    hosts: hostCache([]),
    machines: cache<BareMetalMachineObject>([]),
    clusters: cache<ClusterLike>([]),
    hetznerClusters: cache([hetznerCluster()]),
  };
}

async function gather(object: BareMetalHostObject, found: ReturnType<typeof caches>): Promise<GatheredHost> {
  return found.secrets.gather(() => gatherHostInput(object, found, CONTROLLER));
}

const robotAndKeys = secret('hcloud', { 'robot-user': 'u', 'robot-password': 'p' });

describe('gatherHostInput: registry credentials', () => {
  it('gives the command the cluster’s credentials for the cluster’s hosts, the controller’s for others', async () => {
    const found = caches([robotAndKeys, secret('registry', { token: CLUSTER_TOKEN })]);
    const own = await gather(host('oci://ghcr.io/org/node:v1'), found);
    assert.equal(own.kind === 'ready' ? own.input.registryToken : own.message, CLUSTER_TOKEN);
    const other = await gather(host('oci://quay.io/org/node:v1'), found);
    assert.equal(other.kind === 'ready' ? other.input.registryToken : other.message, CONTROLLER.token);
  });

  it('waits, naming the Secret, while the cluster’s registry Secret is missing, instead of using another token', async () => {
    const gathered = await gather(host('oci://ghcr.io/org/node:v1'), caches([robotAndKeys]));
    assert.match(
      'message' in gathered ? gathered.message : 'not waiting',
      /Secret ns\/registry \(spec\.ociRegistryAuth\)/,
    );
  });
});

describe('earlierHostOfServer', () => {
  const named = (namespace: string, name: string, created: string): BareMetalHostObject => {
    const object = host('oci://ghcr.io/x:1');
    object.metadata = { name, namespace, creationTimestamp: created };
    return object;
  };

  it('gives a Robot server to the oldest host naming it, in any namespace; same second: by namespace/name', () => {
    const first = named('team-b', 'bm-0', '2026-01-01T00:00:00Z');
    const later = named('team-a', 'bm-0', '2026-01-02T00:00:00Z');
    const sameSecond = named('team-a', 'bm-9', '2026-01-01T00:00:00Z');
    const hosts = hostCache([later, first]);
    assert.equal(earlierHostOfServer(first, hosts), undefined);
    assert.equal(earlierHostOfServer(later, hosts), 'team-b/bm-0');
    const tied = hostCache([first, sameSecond]);
    assert.equal(earlierHostOfServer(first, tied), 'team-a/bm-9');
    const other = named('team-c', 'bm-1', '2025-01-01T00:00:00Z');
    other.spec.serverID = 7;
    assert.equal(
      earlierHostOfServer(later, hostCache([later, other])),
      undefined,
      'other servers do not count',
    );
  });
});
