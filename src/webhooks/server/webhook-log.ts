/**
 * The server's logging seam until structured logging exists: a message (capitalised, CAPI style)
 * and flat fields. Callers pass only identifiers and outcomes, never object contents.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** `debug` for what happens on every request (admissions), so info stays readable. */
export type WebhookLogLevel = 'debug' | 'info';

export type WebhookLog = (message: string, fields?: LogFields, level?: WebhookLogLevel) => void;

export const silentLog: WebhookLog = () => undefined;
