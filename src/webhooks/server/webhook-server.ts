/**
 * The admission webhook server: HTTPS (node:https) on the certificate in a cert folder, reloaded
 * when it changes, answering AdmissionReviews for the kinds it is given at controller-runtime's paths
 * and the CRDs' ConversionReviews at /convert.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { describeCertificate, readCertificatePair, type CertificatePair } from './certificate-files.js';
import { CertificateReloader } from './certificate-reloader.js';
import { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
import { createRequestListener } from './request-listener.js';
import { buildRoutes, type ServedKind } from './routes.js';
import { silentLog, type WebhookLog } from './webhook-log.js';

export interface WebhookServerOptions {
  readonly kinds: readonly ServedKind[];
  /** Folder with tls.crt and tls.key. */
  readonly certDir: string;
  /**
   * The controller's username as the apiserver authenticates it: its writes alone may change
   * its bookkeeping annotations.
   */
  readonly controllerUsername: string;
  /** Default 9443 (controller-runtime's); 0 picks a free port. */
  readonly port?: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  readonly log?: WebhookLog;
  /** Default 3 MiB, the most kube-apiserver sends. */
  readonly maxBodyBytes?: number;
  /** How often the cert files are re-read besides on change notifications; default 10 s. */
  readonly certPollIntervalMs?: number;
}

export interface WebhookServer {
  readonly host: string;
  readonly port: number;
  /** `https://<host>:<port>` */
  readonly url: string;
  /** Re-reads the cert folder now; true when a new certificate is being served. */
  reloadCertificate(): Promise<boolean>;
  /**
   * Stops accepting connections, lets requests in flight finish (up to `graceMs`, default 5 s,
   * then cuts the rest) and stops watching the certificate. Safe to call twice.
   */
  close(options?: { readonly graceMs?: number }): Promise<void>;
}

const TLS: SecureContextOptions = { minVersion: 'TLSv1.2' };
/**
 * kube-apiserver's webhook client drops idle connections after 90 s (Go's IdleConnTimeout) and
 * does not retry a POST the server closed under it, so we must keep idle connections longer.
 */
const KEEP_ALIVE_MS = 120_000;
/** Webhooks get at most 30 s from the apiserver. */
const REQUEST_TIMEOUT_MS = 30_000;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => {
      reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts serving; rejects (with nothing left open) when the certificate is unusable or the port taken. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const log = options.log ?? silentLog;
  const routes = buildRoutes(options.kinds);
  const pair = await readCertificatePair(options.certDir);
  let ready = false;
  const listener = createRequestListener({
    routes,
    log,
    ready: () => ready,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    controllerUsername: options.controllerUsername,
  });
  const server = createServer(
    { ...TLS, ...pair, keepAliveTimeout: KEEP_ALIVE_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    listener,
  );
  const host = options.host ?? '0.0.0.0';
  await listen(server, options.port ?? 9443, host);
  const reloader = new CertificateReloader({
    certDir: options.certDir,
    current: pair,
    apply: (next: CertificatePair) => server.setSecureContext({ ...TLS, ...next }),
    log,
    ...(options.certPollIntervalMs === undefined ? {} : { pollIntervalMs: options.certPollIntervalMs }),
  });
  reloader.start();
  ready = true;
  const port = (server.address() as AddressInfo).port;
  const kinds = options.kinds.map((kind) => kind.kind).join(',');
  const { controllerUsername } = options;
  log('Serving admission webhooks', { host, port, kinds, controllerUsername, ...describeCertificate(pair) });
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    reloadCertificate: () => reloader.check(),
    close: (closeOptions = {}) => {
      ready = false;
      reloader.stop();
      closing ??= closeServer(server, closeOptions.graceMs ?? 5_000);
      return closing;
    },
  };
}
