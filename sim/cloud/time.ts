/**
 * RFC 3339 with `Z` and whole seconds, the one form the Cloud API emits today (as its answers and
 * docs.hetzner.cloud's examples show).
 */
export function timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
