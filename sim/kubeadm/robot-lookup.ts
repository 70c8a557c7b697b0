import type { CloudInstance, InstanceLookup } from './cloud-node-controller.js';

/**
 * Looks dedicated servers up in a Hetzner Robot webservice by name, as the hcloud cloud
 * controller with Robot support does for nodes the Cloud does not know: the node's name is the
 * Robot server's name (the provider renames the server to the host name), the providerID is
 * `hcloud://bm-<server number>` (the form CAPH and imageurl put on the machine), the addresses
 * its name and main IP.
 */
export function robotLookup(endpoint: () => string, user: string, password: string): InstanceLookup {
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return async (nodeName) => {
    const url = `${endpoint()}/server`;
    const response = await fetch(url, { headers: { authorization } });
    // Robot answers 404 when the account has no servers at all.
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const body = (await response.json()) as { server?: RobotServerShort }[];
    const server = body.map((entry) => entry.server).find((s) => s?.server_name === nodeName);
    if (server === undefined) return undefined;
    return {
      providerID: `hcloud://bm-${String(server.server_number)}`,
      addresses: [
        { type: 'Hostname', address: server.server_name },
        { type: 'ExternalIP', address: server.server_ip },
      ],
    };
  };
}

/** The first lookup that knows the node wins (Cloud servers first, then dedicated ones). */
export function firstFound(...lookups: readonly InstanceLookup[]): InstanceLookup {
  return async (nodeName) => {
    for (const lookup of lookups) {
      const found: CloudInstance | undefined = await lookup(nodeName);
      if (found !== undefined) return found;
    }
    return undefined;
  };
}

interface RobotServerShort {
  readonly server_number: number;
  readonly server_name: string;
  readonly server_ip: string;
}
