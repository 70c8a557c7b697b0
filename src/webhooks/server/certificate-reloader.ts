/**
 * Keeps a TLS server on the current certificate: watches the cert folder (fs.watch sees
 * cert-manager's and kubelet's atomic `..data` symlink swaps) and, as a fallback for file
 * systems without notifications, re-reads the files periodically. A half-written or mismatched
 * pair is ignored until it becomes usable; the old certificate is served meanwhile.
 */
import { watch, type FSWatcher } from 'node:fs';
import {
  describeCertificate,
  readCertificatePair,
  samePair,
  type CertificatePair,
} from './certificate-files.js';
import type { WebhookLog } from './webhook-log.js';

export interface ReloaderOptions {
  readonly certDir: string;
  /** The pair in use at start. */
  readonly current: CertificatePair;
  /** Installs a new pair (server.setSecureContext). */
  readonly apply: (pair: CertificatePair) => void;
  readonly log: WebhookLog;
  /** Fallback re-read interval; default 10 s (controller-runtime's certwatcher polls as often). */
  readonly pollIntervalMs?: number;
}

const SETTLE_MS = 50;

export class CertificateReloader {
  private current: CertificatePair;
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private settle: NodeJS.Timeout | undefined;
  private checking: Promise<boolean> | undefined;
  private again = false;
  /** The last reason the files were unusable, so a lasting problem is logged once, not every poll. */
  private problem: string | undefined;

  constructor(private readonly options: ReloaderOptions) {
    this.current = options.current;
  }

  start(): void {
    try {
      this.watcher = watch(this.options.certDir, { persistent: false }, () => this.soon());
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // no notifications here (or the folder went away): polling still covers it
    }
    this.poller = setInterval(() => this.soon(), this.options.pollIntervalMs ?? 10_000);
    this.poller.unref();
  }

  stop(): void {
    this.watcher?.close();
    clearInterval(this.poller);
    clearTimeout(this.settle);
  }

  /** Re-reads the files now; resolves true when a new pair was installed. */
  async check(): Promise<boolean> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = this.reload();
    try {
      return await this.checking;
    } finally {
      this.checking = undefined;
      if (this.again) {
        this.again = false;
        this.soon();
      }
    }
  }

  /** Coalesces bursts of events (a cert and a key written one after the other) into one check. */
  private soon(): void {
    clearTimeout(this.settle);
    this.settle = setTimeout(() => void this.check(), SETTLE_MS);
    this.settle.unref();
  }

  private async reload(): Promise<boolean> {
    let pair: CertificatePair;
    try {
      pair = await readCertificatePair(this.options.certDir);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (reason !== this.problem) this.options.log('Keeping the current TLS certificate', { reason });
      this.problem = reason;
      return false;
    }
    this.problem = undefined;
    if (samePair(pair, this.current)) return false;
    this.options.apply(pair);
    this.current = pair;
    this.options.log('Reloaded TLS certificate', {
      certDir: this.options.certDir,
      ...describeCertificate(pair),
    });
    return true;
  }
}
