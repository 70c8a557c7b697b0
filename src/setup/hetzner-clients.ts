import {
  HcloudLoadBalancers,
  HcloudNetworks,
  HcloudPlacementGroups,
  HcloudServers,
  HcloudTransport,
} from '../hetzner/cloud/index.js';
import { HcloudSshKeys } from '../hetzner/cloud/ssh-keys.js';
import { HrobotServers, RobotRequestBudget } from '../hetzner/robot/index.js';
import type { CloudApiObserver } from '../ports/cloud-api-observer.js';
import type { CloudServerReboots, CloudServers } from '../ports/cloud-servers.js';
import type { CloudSshKeys } from '../ports/cloud-ssh-keys.js';
import type { RobotServers } from '../ports/robot-servers.js';
import type { RobotApiMetrics } from '../reconcilers/hetzner-bare-metal-host/index.js';
import type { ClusterCloud } from '../reconcilers/hetzner-cluster/index.js';
import { KeyedCache } from './keyed-cache.js';

/** The Hetzner clients the reconcilers ask for by credential. */
export interface HetznerClients {
  readonly cloudFor: (token: string) => CloudServers;
  /** The same client as cloudFor's (one request budget per token), seen by remediation. */
  readonly rebootsFor: (token: string) => CloudServerReboots;
  readonly sshKeysFor: (token: string) => CloudSshKeys;
  /** Networks, placement groups and load balancers, on one transport (one request budget) per token. */
  readonly infraFor: (token: string) => ClusterCloud;
  readonly robotFor: (user: string, password: string) => RobotServers;
}

export interface HetznerClientOptions {
  /** The Hetzner Cloud API (default the real one). */
  readonly hcloudEndpoint?: string | undefined;
  /** The Robot webservice (default the real one). */
  readonly robotEndpoint?: string | undefined;
  /** Every Cloud client reports here (metrics without any token in them). */
  readonly cloudObserver: CloudApiObserver;
  readonly robotObserver: RobotApiMetrics;
}

interface RobotAccount {
  readonly password: string;
  readonly budget: RobotRequestBudget;
  readonly servers: RobotServers;
}

/**
 * One Cloud client per token and one Robot client per account, kept for the life of the process:
 * request budgets and 401 guards are per token or account. A changed Robot password gets a new
 * client on the same hourly budget.
 */
export function hetznerClients(options: HetznerClientOptions): HetznerClients {
  const { hcloudEndpoint: hcloud, robotEndpoint: robot, cloudObserver: observer } = options;
  const cloudEndpoint = hcloud === undefined ? {} : { endpoint: hcloud };
  const robotEndpoint = robot === undefined ? {} : { endpoint: robot };
  const servers = new KeyedCache<HcloudServers>();
  const serversFor = (token: string): HcloudServers =>
    servers.get(token, () => new HcloudServers({ token, observer, ...cloudEndpoint }));
  const sshKeys = new KeyedCache<CloudSshKeys>();
  const accounts = new KeyedCache<RobotAccount>();
  const infra = new KeyedCache<ClusterCloud>();
  return {
    cloudFor: serversFor,
    rebootsFor: serversFor,
    sshKeysFor: (token) => sshKeys.get(token, () => new HcloudSshKeys({ token, observer, ...cloudEndpoint })),
    infraFor: (token) =>
      infra.get(token, () => {
        const transport = new HcloudTransport({ token, observer, ...cloudEndpoint });
        return {
          networks: new HcloudNetworks(transport),
          placementGroups: new HcloudPlacementGroups(transport),
          loadBalancers: new HcloudLoadBalancers(transport),
        };
      }),
    robotFor: (user, password) =>
      accounts.get(
        user,
        (replaced) => {
          const budget = replaced?.budget ?? new RobotRequestBudget();
          const observer = options.robotObserver;
          return {
            password,
            budget,
            servers: new HrobotServers({ user, password, budget, observer, ...robotEndpoint }),
          };
        },
        (account) => account.password === password,
      ).servers,
  };
}
