import type { CloudServers } from '../ports/cloud-servers.js';

/** The cloud port as one dispatch used it: whether any call went through, and which one failed. */
export interface TrackedCloud {
  readonly port: CloudServers;
  /** True once any call succeeded (CAPH marks HCloudTokenAvailable True then). */
  succeeded(): boolean;
  /** The method of the last failed call, to name it in error messages. */
  lastFailed(): keyof CloudServers | undefined;
}

export function trackCloud(cloud: CloudServers): TrackedCloud {
  let anySucceeded = false;
  let failed: keyof CloudServers | undefined;
  const wrap =
    <I, O>(method: keyof CloudServers, call: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      try {
        const output = await call(input);
        anySucceeded = true;
        return output;
      } catch (error) {
        failed = method;
        throw error;
      }
    };
  return {
    port: {
      createServer: wrap('createServer', (input) => cloud.createServer(input)),
      listImages: wrap('listImages', (input) => cloud.listImages(input)),
      getAction: wrap('getAction', (input) => cloud.getAction(input)),
      enableRescue: wrap('enableRescue', (input) => cloud.enableRescue(input)),
      powerOn: wrap('powerOn', (input) => cloud.powerOn(input)),
      reset: wrap('reset', (input) => cloud.reset(input)),
      getServer: wrap('getServer', (input) => cloud.getServer(input)),
      findServerByName: wrap('findServerByName', (input) => cloud.findServerByName(input)),
      deleteServer: wrap('deleteServer', (input) => cloud.deleteServer(input)),
      setServerLabels: wrap('setServerLabels', (input) => cloud.setServerLabels(input)),
    },
    succeeded: () => anySucceeded,
    lastFailed: () => failed,
  };
}
