import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { secretKind, type KubeObject } from '../../src/kube/index.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { deleteAndExpectNoServer, waitForFailure, warningNote } from '../support/machine-assertions.js';
import {
  addMachine,
  REGISTRY_TOKEN,
  startMachineEnv,
  writeCommand,
  type MachineEnv,
} from '../support/machine-env.js';
import { getMachine, pollFor, serversOf } from '../support/machine-observation.js';
import { hetznerClusters } from '../support/provisioning-objects.js';
import type { HetznerClusterObject } from '../../src/reconcilers/shared/objects.js';

const CLUSTER_TOKEN = 'cluster-0wn-registry-t0ken';
/** Prints which token it got as a digest prefix (the token itself would be redacted), then fails. */
const SHOW_TOKEN = 'image-url-command-show-token';
const SHOW_TOKEN_SCRIPT = `#!/bin/bash
echo "token-digest $(printf %s "$OCI_REGISTRY_AUTH_TOKEN" | sha256sum | cut -c1-16)"
`;
const digest = (token: string): string => createHash('sha256').update(token).digest('hex').slice(0, 16);

/** The cluster's own credentials for registry.example.com, in Secret `registry`. */
const OCI_REGISTRY_AUTH = { secretRef: { name: 'registry' }, hosts: ['registry.example.com'] };

function registrySecret(namespace: string): KubeObject {
  const data = { OCI_REGISTRY_AUTH_TOKEN: Buffer.from(CLUSTER_TOKEN).toString('base64') };
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry', namespace }, data } as KubeObject;
}

describe('HetznerCluster registry credentials (spec.ociRegistryAuth) through the controller', () => {
  let env: MachineEnv | undefined;
  let controller: InProcessController | undefined;

  before(async () => {
    env = await startMachineEnv();
    await writeCommand(env, SHOW_TOKEN, SHOW_TOKEN_SCRIPT);
    // The controller's token is unbound (CAPH's behaviour): every host gets it unless a cluster says otherwise.
    const settings = {
      commandsDir: env.commandsDir,
      hcloudEndpoint: env.cloud.sim.endpoint,
      registryToken: REGISTRY_TOKEN,
    };
    controller = startTestController(env.controlPlane.kubeconfigPath, settings);
  });

  after(async () => {
    await stopTestController(controller, async () => {
      await env?.stop();
    });
  });

  it('a command whose imageURL names one of the cluster’s hosts gets the cluster’s credentials, not the controller’s', async () => {
    const e = env ?? assert.fail('no env');
    await addMachine(e, 'own-registry', SHOW_TOKEN, {
      hetznerClusterSpec: { ociRegistryAuth: OCI_REGISTRY_AUTH },
    });
    await e.api.client.create(secretKind, registrySecret('own-registry'));
    await waitForFailure(e, 'own-registry');
    const note = await warningNote(e, 'own-registry');
    assert.match(note, new RegExp(`token-digest ${digest(CLUSTER_TOKEN)}`), note);
    assert.ok(!note.includes(CLUSTER_TOKEN), 'the cluster’s token is redacted');
    await deleteAndExpectNoServer(e, 'own-registry');
  });

  it('a command whose imageURL names another host gets the controller’s token by the controller’s rules', async () => {
    const e = env ?? assert.fail('no env');
    await addMachine(e, 'other-host', SHOW_TOKEN, {
      imageURL: 'oci://quay.example.com/node:v1',
      hetznerClusterSpec: { ociRegistryAuth: OCI_REGISTRY_AUTH },
    });
    await e.api.client.create(secretKind, registrySecret('other-host'));
    await waitForFailure(e, 'other-host');
    const note = await warningNote(e, 'other-host');
    assert.match(note, new RegExp(`token-digest ${digest(REGISTRY_TOKEN)}`), note);
    await deleteAndExpectNoServer(e, 'other-host');
  });

  it('a missing registry Secret: a cluster condition names it, no server is created, and the Secret appearing lets the machine go on', async () => {
    const e = env ?? assert.fail('no env');
    const ns = 'late-registry';
    await addMachine(e, ns, SHOW_TOKEN, { hetznerClusterSpec: { ociRegistryAuth: OCI_REGISTRY_AUTH } });
    const condition = await pollFor(
      'OCIRegistryCredentialsAvailable False on the HetznerCluster',
      async () => {
        const cluster = await e.api.client.get<HetznerClusterObject>(hetznerClusters, ns, 'my-cluster');
        const found = cluster.status?.conditions?.find((c) => c.type === 'OCIRegistryCredentialsAvailable');
        return found?.status === 'False' ? found : undefined;
      },
      { deadlineMs: 30_000 },
    );
    assert.equal(condition.reason, 'OCIRegistrySecretNotFound');
    assert.match(
      condition.message ?? '',
      /Secret late-registry\/registry \(spec\.ociRegistryAuth\.secretRef\.name\) not found/,
    );
    // The machine has been reconciled (its finalizer is on) and waits: no server, never the controller's token.
    await pollFor(
      'the machine’s finalizer',
      async () => ((await getMachine(e, ns)).metadata.finalizers?.length ? true : undefined),
      {
        deadlineMs: 30_000,
      },
    );
    assert.deepEqual(await serversOf(e, ns), []);

    await e.api.client.create(secretKind, registrySecret(ns));
    await waitForFailure(e, ns);
    assert.match(await warningNote(e, ns), new RegExp(`token-digest ${digest(CLUSTER_TOKEN)}`));
    await deleteAndExpectNoServer(e, ns);
  });
});
