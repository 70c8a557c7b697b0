import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSimulator, type CloudSimulatorOptions } from '../../sim/cloud/cloud-simulator.js';
import { SimCloudClient } from './sim-cloud-client.js';

export interface SimCloudEnv {
  readonly sim: CloudSimulator;
  readonly api: SimCloudClient;
  stop(): Promise<void>;
}

/** A Cloud simulator in a scratch folder with the fast profile; `stop` removes everything. */
export async function startSimCloud(options: Partial<CloudSimulatorOptions> = {}): Promise<SimCloudEnv> {
  const scratch = await mkdtemp(join(tmpdir(), 'imageurl-sim-cloud-'));
  const sim = await CloudSimulator.start({
    stateDir: join(scratch, 'state'),
    profile: 'fast',
    diskBytes: 64 * 1024 * 1024,
    ...options,
  });
  return {
    sim,
    api: new SimCloudClient(sim.endpoint, sim.token),
    stop: async () => {
      await sim.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** Asserts-free helpers shared by the contract files. */
export const serverBody = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  server_type: 'cpx22',
  image: 'debian-13',
  ...extra,
});
