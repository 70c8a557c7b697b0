import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { hcloudMachines as hcloudMachinesRef } from '../../src/reconcilers/shared/kinds.js';
import { examples } from '../../api/v1beta1/index.js';
import { waitFor } from '../../sim/process/wait-for.js';
import {
  KubeClient,
  KubeTransport,
  RuntimeMetrics,
  silentLogger,
  createLogger,
  type KindRef,
  type KubeObject,
  type Logger,
} from '../../src/kube/index.js';

export const CRD_DIR = fileURLToPath(new URL('../../config/crd/bases/', import.meta.url));
export const hcloudMachines: KindRef = hcloudMachinesRef;

export interface HCloudMachineObject extends KubeObject {
  spec: Record<string, unknown>;
  status?: {
    ready?: boolean;
    region?: string;
    failureMessage?: string;
    observedGeneration?: number;
    instanceState?: string;
  };
}

/** A valid HCloudMachine (CAPH's documented example) named `name` in `namespace`. */
export function hcloudMachine(
  namespace: string,
  name: string,
  metadata: Partial<KubeObject['metadata']> = {},
): HCloudMachineObject {
  const example = examples.hcloudMachine;
  return {
    apiVersion: example.apiVersion,
    kind: example.kind,
    metadata: { ...metadata, name, namespace, labels: { ...example.metadata.labels, ...metadata.labels } },
    spec: structuredClone(example.spec),
  };
}

/** What a test needs to talk to the apiserver through the runtime's own client. */
export interface TestClient {
  readonly transport: KubeTransport;
  readonly client: KubeClient;
  readonly metrics: RuntimeMetrics;
  readonly log: Logger;
}

export function testClient(config: KubeConfig, fieldManager = 'imageurl-test'): TestClient {
  const transport = new KubeTransport(config, { requestTimeoutMs: 10_000 });
  return {
    transport,
    client: new KubeClient(transport, fieldManager),
    metrics: new RuntimeMetrics(new Registry()),
    // IMAGEURL_TEST_LOG=debug shows the runtime's own log lines when a test needs explaining.
    log: process.env.IMAGEURL_TEST_LOG
      ? createLogger({ level: process.env.IMAGEURL_TEST_LOG })
      : silentLogger(),
  };
}

/** Creates every object, `concurrency` requests at a time. */
export async function createAll(
  client: KubeClient,
  kind: KindRef,
  objects: readonly KubeObject[],
  concurrency = 32,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < objects.length; i = next++) {
      const object = objects[i];
      if (object) await client.create(kind, object);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Waits until `condition` holds, polling; fails after `deadlineMs` naming `description`. */
export async function eventually(
  description: string,
  condition: () => boolean | Promise<boolean>,
  deadlineMs = 30_000,
): Promise<void> {
  await waitFor(async () => ((await condition()) ? true : undefined), { deadlineMs, description });
}
