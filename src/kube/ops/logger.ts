import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The fixed keys of the runtime's log lines (CAPI logging.md style): a reconcile's lines carry
 * `controller`, `reconcileID` and the object under its kind's name (`HCloudMachine: "ns/name"`).
 */
export const LOG_KEYS = {
  controller: 'controller',
  reconcileId: 'reconcileID',
  kind: 'kind',
  key: 'key',
  error: 'err',
  identity: 'identity',
} as const;

export interface LoggerOptions {
  /** pino level: trace, debug, info, warn, error, fatal, silent. Default info. */
  readonly level?: string;
  /** The `component` every line carries. Default imageurl. */
  readonly component?: string;
  /** Where lines go; default stdout, written synchronously so nothing is lost on exit. */
  readonly destination?: DestinationStream;
  /** Applied to every message string (the caller's secret redactor). */
  readonly redact?: (text: string) => string;
}

/** Structured field names that never reach a log line with their value. */
const SECRET_PATHS = [
  'token',
  'password',
  '*.token',
  '*.password',
  'headers.authorization',
  'headers.Authorization',
  'secret.data',
  'secret.stringData',
];

/** A pino JSON logger with ISO times, level names, fixed keys and redaction. Build one in main. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const redact = options.redact;
  return pino(
    {
      level: options.level ?? 'info',
      base: { component: options.component ?? 'imageurl' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_PATHS, censor: '[REDACTED]' },
      hooks: redact
        ? {
            logMethod(args, method): void {
              const redacted = args.map((arg: unknown) => (typeof arg === 'string' ? redact(arg) : arg));
              method.apply(this, redacted as Parameters<typeof method>);
            },
          }
        : {},
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A logger that writes nothing (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
