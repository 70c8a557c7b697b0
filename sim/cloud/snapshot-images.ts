import { images, renderImage, type Image } from './catalog.js';
import { timestamp } from './time.js';

/**
 * An image the project made from a server (`POST /servers/{id}/actions/create_image`): a
 * snapshot or a backup. Unlike system images it has no name, only a description and labels
 * (docs.hetzner.cloud, "Images"), so clients find it by label.
 */
export interface SnapshotImage {
  readonly id: number;
  /** A backup turns into a snapshot on `PUT /images/{id}` with `type: snapshot`. */
  type: 'snapshot' | 'backup';
  status: 'creating' | 'available';
  description: string;
  labels: Record<string, string>;
  readonly architecture: Image['architecture'];
  readonly created: Date;
  readonly createdFrom: { readonly id: number; readonly name: string };
  /** GB of the server's disk it was taken from. */
  readonly diskSize: number;
  readonly osFlavor: string;
  readonly osVersion: string;
}

/** Either kind of image a server can be created from. */
export type AnyImage = Image | SnapshotImage;

export function isSnapshot(image: AnyImage): image is SnapshotImage {
  return 'createdFrom' in image;
}

/** The image the way list and get show it: system images have a name, snapshots have none. */
export interface ImageView {
  readonly id: number;
  readonly name?: string;
  readonly labels: Record<string, string>;
  readonly type: string;
  readonly status: string;
  readonly architecture: string;
  readonly created: string;
  readonly image: AnyImage;
}

export function viewOf(image: AnyImage): ImageView {
  if (!isSnapshot(image)) {
    const { id, name, architecture, created } = image;
    return { id, name, architecture, created, labels: {}, type: 'system', status: 'available', image };
  }
  return {
    id: image.id,
    labels: image.labels,
    type: image.type,
    status: image.status,
    architecture: image.architecture,
    created: timestamp(image.created),
    image,
  };
}

/** System images first, then the project's snapshots and backups. */
export function allImages(snapshots: ReadonlyMap<number, SnapshotImage>): AnyImage[] {
  return [...images, ...snapshots.values()];
}

export function renderAnyImage(image: AnyImage): Record<string, unknown> {
  if (!isSnapshot(image)) return renderImage(image);
  return {
    id: image.id,
    type: image.type,
    status: image.status,
    name: null,
    description: image.description,
    // The compressed size is only known once the image is written.
    image_size: image.status === 'available' ? 0.42 : null,
    disk_size: image.diskSize,
    created: timestamp(image.created),
    created_from: { ...image.createdFrom },
    bound_to: image.type === 'backup' ? image.createdFrom.id : null,
    os_flavor: image.osFlavor,
    os_version: image.osVersion,
    architecture: image.architecture,
    // Servers from a snapshot take longer to create than from a system image.
    rapid_deploy: false,
    protection: { delete: false },
    deprecated: null,
    deleted: null,
    labels: { ...image.labels },
  };
}
