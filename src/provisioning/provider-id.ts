/** `hcloud://<server id>` (CAPH: decimal int64). */
const prefix = 'hcloud://';

export function providerIdOf(serverId: number): string {
  return `${prefix}${serverId}`;
}

/** The server id in a providerID, or undefined when it is absent or not an hcloud one. */
export function serverIdOf(providerID: string | undefined): number | undefined {
  if (providerID?.startsWith(prefix) !== true) return undefined;
  const digits = providerID.slice(prefix.length);
  if (!/^[1-9][0-9]{0,15}$/.test(digits)) return undefined;
  const id = Number(digits);
  return Number.isSafeInteger(id) ? id : undefined;
}
