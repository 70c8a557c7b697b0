import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSavedState } from '../state/saved-state.js';
import type { ActionRecord } from './action-book.js';
import { locations, serverTypes } from './catalog.js';
import type { CloudProject, SshKeyRecord } from './cloud-project.js';
import type { LoadBalancerRecord } from './load-balancer-record.js';
import { loadBalancerTypes } from './load-balancer-types.js';
import type { NetworkRecord } from './network-record.js';
import type { PlacementGroupRecord } from './placement-group-record.js';
import type { PrivateNetAttachment, ServerRecord } from './server-record.js';
import { allImages, type SnapshotImage } from './snapshot-images.js';

type Saved<T> = Omit<T, 'created'> & { readonly created: string };

/**
 * A Cloud project saved between runs of `imageurl sim` (in `<stateDir>/state.json`): servers,
 * SSH keys, snapshots, placement groups, networks, load balancers and finished actions. Disks stay in the state folder, so an installed OS survives;
 * running actions and rescue activations do not (as after a power cut, servers come back in
 * the power state they had, booting their disks).
 */
interface CloudSnapshot {
  readonly version: 1;
  readonly lastId: number;
  readonly servers: readonly SavedServer[];
  readonly sshKeys: readonly Saved<SshKeyRecord>[];
  readonly actions: readonly SavedAction[];
  /** Absent in files written before snapshots were simulated. */
  readonly snapshots?: readonly Saved<SnapshotImage>[];
  /** Absent in states saved before placement groups were simulated. */
  readonly placementGroups?: readonly Saved<PlacementGroupRecord>[];
  readonly networks?: readonly Saved<NetworkRecord>[];
  readonly loadBalancers?: readonly SavedLoadBalancer[];
}

type SavedLoadBalancer = Omit<Saved<LoadBalancerRecord>, 'type' | 'location'> & {
  readonly type: number;
  readonly location: number;
};

interface SavedServer {
  readonly id: number;
  readonly name: string;
  readonly poweredOn: boolean;
  readonly created: string;
  readonly labels: Record<string, string>;
  readonly serverType: number;
  readonly location: number;
  readonly image: number;
  readonly ipv4: ServerRecord['ipv4'];
  readonly ipv6: ServerRecord['ipv6'];
  readonly userData: string;
  readonly sshKeyIds: readonly number[];
  readonly protection: { delete: boolean; rebuild: boolean };
  readonly placementGroupId?: number;
  readonly privateNets?: readonly PrivateNetAttachment[];
}

interface SavedAction {
  readonly id: number;
  readonly command: string;
  readonly status: 'success' | 'error';
  readonly started: string;
  readonly finished: string;
  readonly resources: readonly { id: number; type: string }[];
  readonly error: { code: string; message: string } | null;
}

const fileName = 'state.json';

export async function saveCloudSnapshot(project: CloudProject): Promise<void> {
  const snapshot: CloudSnapshot = {
    version: 1,
    lastId: project.lastId,
    servers: [...project.servers.values()].map((s) => ({
      id: s.id,
      name: s.name,
      poweredOn: s.machine.poweredOn,
      created: s.created.toISOString(),
      labels: s.labels,
      serverType: s.serverType.id,
      location: s.location.id,
      image: s.image.id,
      ipv4: s.ipv4,
      ipv6: s.ipv6,
      userData: s.userData,
      sshKeyIds: s.sshKeyIds,
      protection: s.protection,
      ...(s.placementGroupId === undefined ? {} : { placementGroupId: s.placementGroupId }),
      privateNets: s.privateNets,
    })),
    sshKeys: [...project.sshKeys.values()].map(saved),
    actions: [...project.actions.all()].flatMap(savedAction),
    snapshots: [...project.snapshots.values()].map(saved),
    placementGroups: [...project.placementGroups.values()].map(saved),
    networks: [...project.networks.values()].map(saved),
    loadBalancers: [...project.loadBalancers.values()].map((b) => ({
      ...saved(b),
      type: b.type.id,
      location: b.location.id,
    })),
  };
  await writeFile(join(project.env.stateDir, fileName), `${JSON.stringify(snapshot)}\n`, { mode: 0o600 });
}

function saved<T extends { readonly created: Date }>(record: T): Saved<T> {
  return { ...record, created: record.created.toISOString() };
}

function restored<T extends { readonly created: string }>(record: T): Omit<T, 'created'> & { created: Date } {
  return { ...record, created: new Date(record.created) };
}

function savedAction(a: ActionRecord): SavedAction[] {
  if (a.status === 'running' || a.finished === undefined) return [];
  const { id, command, status, resources } = a;
  const times = { started: a.started.toISOString(), finished: a.finished.toISOString() };
  return [{ id, command, status, resources, ...times, error: a.error ?? null }];
}

/** Restores a saved project, if the state folder holds one; returns whether it did. */
export async function restoreCloudSnapshot(project: CloudProject): Promise<boolean> {
  const saved = await readSavedState(join(project.env.stateDir, fileName));
  if (saved === undefined) return false;
  const snapshot = saved as unknown as CloudSnapshot;
  project.lastId = snapshot.lastId;
  restoreRecords(project, snapshot);
  for (const a of snapshot.actions)
    project.actions.adopt({
      ...a,
      started: new Date(a.started),
      begun: new Date(a.started),
      finished: new Date(a.finished),
      error: a.error ?? undefined,
      durationMs: 0,
    });
  for (const image of snapshot.snapshots ?? [])
    project.snapshots.set(image.id, { ...image, created: new Date(image.created) });
  for (const saved of snapshot.servers) await restoreServer(project, saved);
  return true;
}

function restoreRecords(project: CloudProject, snapshot: CloudSnapshot): void {
  for (const key of snapshot.sshKeys) project.sshKeys.set(key.id, restored(key));
  for (const group of snapshot.placementGroups ?? []) project.placementGroups.set(group.id, restored(group));
  for (const network of snapshot.networks ?? []) project.networks.set(network.id, restored(network));
  for (const balancer of snapshot.loadBalancers ?? []) {
    const type = loadBalancerTypes.find((t) => t.id === balancer.type);
    const location = locations.find((l) => l.id === balancer.location);
    if (!type || !location)
      throw new Error(`${fileName}: load balancer ${balancer.id} names an unknown type or location`);
    project.loadBalancers.set(balancer.id, { ...restored(balancer), type, location });
  }
}

async function restoreServer(project: CloudProject, saved: SavedServer): Promise<void> {
  const serverType = serverTypes.find((t) => t.id === saved.serverType);
  const location = locations.find((l) => l.id === saved.location);
  const image = allImages(project.snapshots).find((i) => i.id === saved.image);
  if (!serverType || !location || !image)
    throw new Error(`${fileName}: server ${saved.id} names an unknown type, location or image`);
  const machine = await project.newMachine(saved.id, serverType.disk, saved.ipv4?.ip);
  const server: ServerRecord = {
    ...saved,
    status: saved.poweredOn ? 'running' : 'off',
    created: new Date(saved.created),
    serverType,
    location,
    image,
    machine,
    placementGroupId: saved.placementGroupId,
    privateNets: [...(saved.privateNets ?? [])],
  };
  project.servers.set(server.id, server);
  if (saved.poweredOn) machine.powerOn();
}
