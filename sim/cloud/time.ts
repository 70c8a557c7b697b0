/** RFC 3339 with `Z` and whole seconds, the one form the Cloud API emits today (hetzner-apis.md A1). */
export function timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
