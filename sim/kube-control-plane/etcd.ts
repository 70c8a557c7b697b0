import { rm } from 'node:fs/promises';
import { freePort } from '../process/free-port.js';
import type { ProcessGroup } from '../process/process-group.js';
import type { SupervisedProcess } from '../process/supervised-process.js';
import { httpGetStatus, retryOnPortCollision, waitUntilReady } from './readiness.js';

export interface EtcdOptions {
  readonly binary: string;
  /** Created by etcd; emptied before every attempt unless `keepData`. */
  readonly dataDir: string;
  /** Start from the data already in dataDir (a member that restarts, as after a reboot). */
  readonly keepData?: boolean;
  readonly deadlineMs: number;
}

export interface RunningEtcd {
  readonly process: SupervisedProcess;
  /** Client URL for kube-apiserver's --etcd-servers. */
  readonly url: string;
}

const HOST = '127.0.0.1';

/** etcd's flags for a single throwaway member on loopback (envtest's set, all ports explicit). */
export function etcdArgs(dataDir: string, clientPort: number, peerPort: number): string[] {
  const client = `http://${HOST}:${clientPort}`;
  const peer = `http://${HOST}:${peerPort}`;
  return [
    '--name=imageurl',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=imageurl=${peer}`,
    '--initial-cluster-state=new',
    '--unsafe-no-fsync=true',
  ];
}

async function attempt(group: ProcessGroup, options: EtcdOptions): Promise<RunningEtcd> {
  if (options.keepData !== true) await rm(options.dataDir, { recursive: true, force: true });
  const clientPort = await freePort(HOST);
  let peerPort = await freePort(HOST);
  while (peerPort === clientPort) peerPort = await freePort(HOST);
  const url = `http://${HOST}:${clientPort}`;
  const member = group.start({
    name: 'etcd',
    command: options.binary,
    args: etcdArgs(options.dataDir, clientPort, peerPort),
  });
  try {
    await waitUntilReady(member, async () => (await httpGetStatus(`${url}/health`)) === 200, {
      deadlineMs: options.deadlineMs,
      description: `etcd to answer ${url}/health`,
    });
  } catch (error) {
    await group.stopMember(member);
    throw error;
  }
  return { process: member, url };
}

/** Starts etcd on free loopback ports and waits until it is healthy (one retry on a port collision). */
export async function startEtcd(group: ProcessGroup, options: EtcdOptions): Promise<RunningEtcd> {
  return retryOnPortCollision(() => attempt(group, options));
}
