/**
 * Go's `time.ParseDuration` syntax, which metav1.Duration fields (CAPH's remediation `timeout`
 * and `cooldown`) are written in: an optional sign, then one or more decimal numbers each with a
 * unit (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`), such as `180s`, `1h30m` or `1.5m`; `0` alone too.
 */
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};
const PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;

/** The duration in milliseconds (negative when signed so), or undefined when `text` is not one. */
export function parseGoDuration(text: string): number | undefined {
  const signed = text.startsWith('-') || text.startsWith('+');
  const body = signed ? text.slice(1) : text;
  const magnitude = body === '0' ? 0 : unsignedMs(body);
  if (magnitude === undefined) return undefined;
  return text.startsWith('-') ? -magnitude : magnitude;
}

function unsignedMs(body: string): number | undefined {
  if (body === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = PART.exec(body); match !== null; match = PART.exec(body)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    consumed = PART.lastIndex;
  }
  return consumed === body.length && Number.isFinite(total) ? total : undefined;
}
