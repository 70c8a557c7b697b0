import type { CloudSimulator } from '../cloud/cloud-simulator.js';
import type { RobotSimulator } from '../robot/robot-simulator.js';
import type { SimIdentity } from './sim-identity.js';

/** What `imageurl sim` prints: where the simulators answer and how to log in. */
export interface SimFacts {
  readonly cloud: { endpoint: string; token: string; admin: string; adminToken: string; seed: number };
  readonly robot: { endpoint: string; user: string; password: string; admin: string; adminToken: string };
  readonly robotServers: readonly { number: number; ip: string }[];
  readonly profile: string;
  readonly stateDir: string;
}

export function simFacts(
  cloud: CloudSimulator,
  robot: RobotSimulator,
  run: { readonly profile: string; readonly stateDir: string },
): SimFacts {
  return {
    cloud: {
      endpoint: cloud.endpoint,
      token: cloud.token,
      admin: cloud.adminUrl,
      adminToken: cloud.adminToken,
      seed: cloud.seed,
    },
    robot: {
      endpoint: robot.endpoint,
      user: robot.user,
      password: robot.password,
      admin: robot.adminUrl,
      adminToken: robot.adminToken,
    },
    robotServers: robot.servers().map((s) => ({ number: s.number, ip: s.address })),
    profile: run.profile,
    stateDir: run.stateDir,
  };
}

/** The endpoints and credentials to keep for the next run. */
export function identityOf(cloud: CloudSimulator, robot: RobotSimulator): SimIdentity {
  return {
    version: 1,
    cloud: {
      port: portOf(cloud.endpoint),
      token: cloud.token,
      adminToken: cloud.adminToken,
      seed: cloud.seed,
    },
    robot: {
      port: portOf(robot.endpoint),
      user: robot.user,
      password: robot.password,
      adminToken: robot.adminToken,
    },
  };
}

function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

export function printFacts(facts: SimFacts): void {
  const { cloud, robot } = facts;
  console.log(`Hetzner Cloud API   ${cloud.endpoint}`);
  console.log(`  export HCLOUD_ENDPOINT=${cloud.endpoint} HCLOUD_TOKEN=${cloud.token}`);
  console.log(`  admin ${cloud.admin} (Authorization: Bearer ${cloud.adminToken})`);
  console.log(`Hetzner Robot       ${robot.endpoint}`);
  console.log(`  user ${robot.user}  password ${robot.password}`);
  console.log(`  admin ${robot.admin} (Authorization: Bearer ${robot.adminToken})`);
  for (const server of facts.robotServers) console.log(`  server ${server.number} at ${server.ip}`);
  console.log(
    `Durations ${facts.profile} (seed ${cloud.seed}); state in ${facts.stateDir}. Ctrl+C stops everything.`,
  );
}
