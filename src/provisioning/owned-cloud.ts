import { CloudError } from '../ports/cloud-errors.js';
import type { CloudServer, CloudServers, ServerRef } from '../ports/cloud-servers.js';
import type { MachineInput } from './machine.js';
import { ownershipOf, ServerNotOwnedError, type VerifiedServers } from './server-ownership.js';

/**
 * The cloud port as one machine may use it: every call that names a server id goes through only
 * when the server is this machine's (see ownershipOf); otherwise it rejects with
 * ServerNotOwnedError and nothing is called on that server. A server counts as checked once this
 * process created it, or saw it (a GET the handler made anyway, or the one GET this gate makes
 * for a server it has not seen yet). A server CAPH created for the machine gets the namespace
 * label added (the one write this gate ever makes), so it is recognised from then on.
 */
export function ownedCloud(
  cloud: CloudServers,
  input: MachineInput,
  verified: VerifiedServers,
): CloudServers {
  async function vetted(server: CloudServer): Promise<CloudServer> {
    if (verified.has(input, server.id)) return server;
    const ownership = ownershipOf(server, input);
    if (ownership.kind === 'foreign') throw new ServerNotOwnedError(server.id, ownership.why);
    const own =
      ownership.kind === 'own'
        ? server
        : await cloud.setServerLabels({ serverId: server.id, labels: ownership.labels });
    verified.add(input, server.id);
    return own;
  }

  /** Checks the server first (unless already seen); a server that does not exist is `missing`. */
  function onServer<I extends ServerRef, O>(
    call: (input: I) => Promise<O>,
    missing: (serverId: number) => O,
  ): (input: I) => Promise<O> {
    return async (request) => {
      if (!verified.has(input, request.serverId)) {
        const server = await cloud.getServer({ serverId: request.serverId });
        if (server === undefined) return missing(request.serverId);
        await vetted(server);
      }
      return call(request);
    };
  }

  const notFound = (serverId: number): never => {
    throw new CloudError('not_found', `server ${serverId} not found`);
  };

  return {
    createServer: async (request) => {
      const created = await cloud.createServer(request);
      verified.add(input, created.server.id);
      return created;
    },
    listImages: (request) => cloud.listImages(request),
    getAction: (request) => cloud.getAction(request),
    enableRescue: onServer((request) => cloud.enableRescue(request), notFound),
    powerOn: onServer((request) => cloud.powerOn(request), notFound),
    reset: onServer((request) => cloud.reset(request), notFound),
    getServer: async (request) => {
      const server = await cloud.getServer(request);
      return server === undefined ? undefined : vetted(server);
    },
    // Name lookups return strangers too: the callers decide (adoption takes only its own).
    findServerByName: async (request) => {
      const server = await cloud.findServerByName(request);
      if (server !== undefined && ownershipOf(server, input).kind === 'own') verified.add(input, server.id);
      return server;
    },
    deleteServer: onServer(
      (request) => cloud.deleteServer(request),
      () => ({ deleted: false }),
    ),
    setServerLabels: onServer((request) => cloud.setServerLabels(request), notFound),
  };
}
