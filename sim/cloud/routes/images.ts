import { CloudErrorResponse } from '../cloud-error-response.js';
import { jsonBody, labels, optionalString } from '../cloud-input.js';
import type { CloudContext, CloudRoute } from '../cloud-route.js';
import { listResponse } from '../list-query.js';
import {
  allImages,
  isSnapshot,
  renderAnyImage,
  viewOf,
  type ImageView,
  type SnapshotImage,
} from '../snapshot-images.js';

function render(view: ImageView): unknown {
  return renderAnyImage(view.image);
}

function viewById(context: CloudContext): ImageView {
  const id = context.params.id ?? '';
  const image = allImages(context.project.snapshots).find((candidate) => String(candidate.id) === id);
  if (image === undefined) throw CloudErrorResponse.notFound('image');
  return viewOf(image);
}

/** Only the project's own images can be changed or deleted; system images belong to Hetzner. */
function ownImage(context: CloudContext): SnapshotImage {
  const { image } = viewById(context);
  if (!isSnapshot(image)) throw new CloudErrorResponse(403, 'forbidden', 'system images cannot be modified');
  return image;
}

/**
 * `/images` (docs.hetzner.cloud, "Images"): system images and the project's snapshots and backups,
 * filtered by `name`, `label_selector`, `type`, `status`, `architecture`, `bound_to`; PUT changes a
 * snapshot's description, labels or turns a backup into a snapshot; DELETE removes it (204).
 */
export const imageRoutes: readonly CloudRoute[] = [
  {
    method: 'GET',
    path: '/images',
    handler: ({ project, url }) => {
      const views = allImages(project.snapshots).map(viewOf);
      const list = listResponse(
        views,
        url.searchParams,
        {
          key: 'images',
          sortFields: { id: (i) => i.id, name: (i) => i.name ?? '', created: (i) => i.created },
          filters: {
            architecture: (i, values) => values.includes(i.architecture),
            type: (i, values) => values.includes(i.type),
            status: (i, values) => values.includes(i.status),
            bound_to: (i, values) =>
              isSnapshot(i.image) &&
              i.image.type === 'backup' &&
              values.includes(String(i.image.createdFrom.id)),
          },
          render,
        },
        url,
      );
      return { status: 200, body: list.body, headers: { Link: list.link } };
    },
  },
  {
    method: 'GET',
    path: '/images/:id',
    handler: (context) => ({ status: 200, body: { image: render(viewById(context)) } }),
  },
  {
    method: 'PUT',
    path: '/images/:id',
    handler: (context) => {
      const image = ownImage(context);
      const body = jsonBody(context.body);
      const description = optionalString(body, 'description');
      const type = optionalString(body, 'type');
      if (type !== undefined && type !== 'snapshot')
        throw CloudErrorResponse.invalidField('type', 'allowed: snapshot');
      if (type !== undefined) image.type = type;
      const newLabels = labels(body);
      if (description !== undefined) image.description = description;
      if (newLabels !== undefined) image.labels = newLabels;
      return { status: 200, body: { image: renderAnyImage(image) } };
    },
  },
  {
    method: 'DELETE',
    path: '/images/:id',
    handler: (context) => {
      context.project.snapshots.delete(ownImage(context).id);
      return { status: 204 };
    },
  },
];
