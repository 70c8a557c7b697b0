import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { API_VERSION, GROUP, VERSION } from '../api/v1beta1/index.js';
import { CLUSTER_NAME_LABEL } from '../src/kube/index.js';
import { allKindAdmissions } from '../src/webhooks/kinds/index.js';
import { startWebhookServer, webhookPath } from '../src/webhooks/server/index.js';
import { createCertDir } from '../sim/webhook/webhook-pki.js';

/** What a webhook latency run measured (milliseconds, client side, over TLS on loopback). */
export interface WebhookLatencyFigures {
  readonly kind: string;
  readonly ratePerSecond: number;
  readonly durationMs: number;
  readonly requests: number;
  /** Responses that were not HTTP 200 with an AdmissionReview, plus transport errors. */
  readonly failures: number;
  readonly allowed: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly goalP99Ms: number;
}

export interface WebhookLatencyOptions {
  /** Requests per second, sent open-loop (on schedule, whether or not earlier ones answered). */
  readonly ratePerSecond?: number;
  readonly durationMs?: number;
}

const GOAL_P99_MS = 5;
const WARM_UP_REQUESTS = 200;

/** A validate review of a valid HCloudMachine with an image URL, as the apiserver would send it. */
function review(uid: number): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `bench-${uid}`,
      kind: { group: GROUP, version: VERSION, kind: 'HCloudMachine' },
      resource: { group: GROUP, version: VERSION, resource: 'hcloudmachines' },
      name: 'bench-md-0-abcde',
      namespace: 'default',
      operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:capi-system:capi-manager' },
      object: {
        apiVersion: API_VERSION,
        kind: 'HCloudMachine',
        metadata: {
          name: 'bench-md-0-abcde',
          namespace: 'default',
          labels: { [CLUSTER_NAME_LABEL]: 'bench' },
        },
        spec: {
          type: 'cpx22',
          imageURL: 'oci://ghcr.io/example/node:v1',
          imageURLCommand: 'image-url-command-oci.sh',
        },
      },
      dryRun: false,
    },
  });
}

interface Outcome {
  readonly ms: number;
  readonly ok: boolean;
  readonly allowed: boolean;
}

function send(url: string, agent: Agent, ca: string, body: string): Promise<Outcome> {
  const began = performance.now();
  return new Promise((resolve) => {
    const fail = (): void => resolve({ ms: performance.now() - began, ok: false, allowed: false });
    const request = httpsRequest(
      url,
      { method: 'POST', agent, ca, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.once('error', fail).once('end', () => {
          const ms = performance.now() - began;
          const ok = response.statusCode === 200 && text.includes('"AdmissionReview"');
          resolve({ ms, ok, allowed: ok && text.includes('"allowed":true') });
        });
      },
    );
    request.once('error', fail);
    request.end(body);
  });
}

/** Sends `count` requests at `ratePerSecond`, each on schedule, and collects every outcome. */
async function drive(
  count: number,
  ratePerSecond: number,
  one: (i: number) => Promise<Outcome>,
): Promise<Outcome[]> {
  const interval = 1000 / ratePerSecond;
  const start = performance.now();
  const pending: Promise<Outcome>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + i * interval - performance.now();
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    pending.push(one(i));
  }
  return Promise.all(pending);
}

function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[rank] ?? 0) * 1000) / 1000;
}

/**
 * Starts the webhook server with the real kinds on loopback and sends validate requests for a
 * valid HCloudMachine at a fixed rate (default 200/s for 10 s, after a warm-up), measuring each
 * round trip on keep-alive TLS connections, as kube-apiserver keeps them.
 */
export async function measureWebhookLatency(
  options: WebhookLatencyOptions = {},
): Promise<WebhookLatencyFigures> {
  const ratePerSecond = options.ratePerSecond ?? 200;
  const durationMs = options.durationMs ?? 10_000;
  const scratch = await mkdtemp(join(tmpdir(), 'imageurl-bench-webhook-'));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    const { ca } = await createCertDir(join(scratch, 'certs'));
    const server = await startWebhookServer({
      kinds: allKindAdmissions(),
      certDir: join(scratch, 'certs'),
      controllerUsername: 'system:serviceaccount:capi-system:imageurl',
      port: 0,
      host: '127.0.0.1',
    });
    try {
      const url = `${server.url}${webhookPath('validate', 'HCloudMachine')}`;
      const one = (i: number): Promise<Outcome> => send(url, agent, ca.certPem, review(i));
      await drive(WARM_UP_REQUESTS, ratePerSecond, one);
      const outcomes = await drive(Math.round((durationMs / 1000) * ratePerSecond), ratePerSecond, one);
      const sorted = outcomes.map((o) => o.ms).sort((a, b) => a - b);
      return {
        kind: 'HCloudMachine',
        ratePerSecond,
        durationMs,
        requests: outcomes.length,
        failures: outcomes.filter((o) => !o.ok).length,
        allowed: outcomes.filter((o) => o.allowed).length,
        p50Ms: percentile(sorted, 50),
        p90Ms: percentile(sorted, 90),
        p99Ms: percentile(sorted, 99),
        maxMs: percentile(sorted, 100),
        goalP99Ms: GOAL_P99_MS,
      };
    } finally {
      await server.close();
    }
  } finally {
    agent.destroy();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const figures = await measureWebhookLatency();
  const verdict = figures.p99Ms < figures.goalP99Ms ? 'meets' : 'MISSES';
  console.log(
    `webhook validate latency, ${figures.kind}, ${figures.ratePerSecond} req/s for ${figures.durationMs / 1000} s ` +
      `(${figures.requests} requests, ${figures.failures} failed, ${cpus().length} cores): ` +
      `p50 ${figures.p50Ms} ms, p90 ${figures.p90Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms ` +
      `(${verdict} goal p99 < ${figures.goalP99Ms} ms)`,
  );
  const results = new URL('./results/', import.meta.url);
  await mkdir(results, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const record = {
    date: new Date().toISOString(),
    cores: cpus().length,
    node: process.versions.node,
    figures,
  };
  await writeFile(new URL(`webhook-${stamp}.json`, results), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`written to bench/results/webhook-${stamp}.json`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
