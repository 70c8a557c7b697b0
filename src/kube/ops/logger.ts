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
            // Every argument, objects and errors included: a reconcile error logged as
            // `{ err }` carries whatever the failed call quoted.
            logMethod(args, method): void {
              const redacted = args.map((arg: unknown) => redactValue(arg, redact, 0));
              method.apply(this, redacted as Parameters<typeof method>);
            },
          }
        : {},
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Deep enough for any log fields we write; deeper values are dropped rather than left unredacted. */
const MAX_DEPTH = 6;

/** `value` with `redact` applied to every string in it; errors become pino's plain error objects first. */
function redactValue(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) return redactValue(pino.stdSerializers.err(value), redact, depth + 1);
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, redact, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactValue(item, redact, depth + 1)]),
  );
}

/** A logger that writes nothing (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
