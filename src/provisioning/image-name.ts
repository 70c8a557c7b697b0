import type { CloudImage } from '../ports/cloud-servers.js';

/** CAPH's label for snapshots, which have no name: `caph-image-name=<spec.imageName>`. */
export const IMAGE_NAME_LABEL = 'caph-image-name';

/** How many images a message lists at most (the rest is counted). */
const listedImages = 10;
/** How much of the user's value a message repeats. */
const valueLimit = 100;

/** What the cloud answered for one `spec.imageName`, for the server type's architecture. */
export interface ImageCandidates {
  readonly imageName: string;
  readonly serverType: string;
  readonly architecture: string;
  /** Images labelled `caph-image-name=<imageName>`. */
  readonly byLabel: readonly CloudImage[];
  /** Images named `<imageName>`. */
  readonly byName: readonly CloudImage[];
}

export type ImageChoice =
  | { readonly kind: 'found'; readonly image: CloudImage }
  | { readonly kind: 'not-found' | 'ambiguous'; readonly message: string };

/**
 * CAPH's rule (`getServerImage` in `pkg/services/hcloud/server/server.go`): the images labelled
 * with the name and those named so, of the server type's architecture, must be exactly one.
 * Unlike CAPH, an image that is both named and labelled so counts once, not twice.
 * `existing` (images of that architecture) lets a not-found message say what there is.
 */
export function chooseImage(candidates: ImageCandidates, existing: readonly CloudImage[] = []): ImageChoice {
  const matches = [...new Map([...candidates.byLabel, ...candidates.byName].map((i) => [i.id, i])).values()];
  const [only] = matches;
  if (matches.length === 1 && only !== undefined) return { kind: 'found', image: only };
  const subject = `spec.imageName ${quote(candidates.imageName)}`;
  const scope = `architecture ${candidates.architecture} (server type ${candidates.serverType})`;
  if (matches.length > 1) {
    return {
      kind: 'ambiguous',
      message:
        `${subject}: ${matches.length} images of ${scope} match: ${listOf(matches)}; ` +
        `keep one image with this name or label ${IMAGE_NAME_LABEL}`,
    };
  }
  const usable = existing.filter((image) => image.type === 'system' || image.type === 'snapshot');
  const there = usable.length === 0 ? 'there are none' : `there are: ${listOf(usable)}`;
  return {
    kind: 'not-found',
    message:
      `${subject}: no image of ${scope} has this name or label ${IMAGE_NAME_LABEL}; ` +
      `allowed: an image name or a snapshot's ${IMAGE_NAME_LABEL} label; ${there}`,
  };
}

/** The label selector that finds snapshots for `imageName` (`==`: exact value, as CAPH asks). */
export function imageLabelSelector(imageName: string): string {
  return `${IMAGE_NAME_LABEL}==${imageName}`;
}

function listOf(images: readonly CloudImage[]): string {
  const shown = images.slice(0, listedImages).map(describe).join(', ');
  const more = images.length - listedImages;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

function describe(image: CloudImage): string {
  if (image.name !== undefined) return `${image.name} (${image.type} ${image.id})`;
  const label = image.labels[IMAGE_NAME_LABEL];
  const named = label === undefined ? '' : `${IMAGE_NAME_LABEL}=${label}, `;
  return `${image.type} ${image.id} (${named}${quote(image.description)})`;
}

function quote(value: string): string {
  const cut = value.length > valueLimit ? `${value.slice(0, valueLimit)}…` : value;
  return JSON.stringify(cut);
}
