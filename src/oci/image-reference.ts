import { OciError } from './oci-errors.js';

export interface ImageReference {
  /** `ghcr.io`, `127.0.0.1:5000` */
  readonly registry: string;
  /** `org/image` */
  readonly repository: string;
  /** A tag (`v1`) or a digest (`sha256:…`). */
  readonly reference: string;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REGISTRY = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-fA-F:]+\](?::\d{1,5})?$/;
const ALLOWED = 'oci://REGISTRY/REPOSITORY:TAG or oci://REGISTRY/REPOSITORY@sha256:DIGEST';

/** Parses `oci://registry/repository:tag` or `…@sha256:…` (the imageURL form the commands take). */
export function parseImageReference(url: string): ImageReference {
  const invalid = (why: string): OciError =>
    new OciError(
      'OCI_REFERENCE_INVALID',
      `image reference ${JSON.stringify(url.slice(0, 100))}: ${why}; want ${ALLOWED}`,
    );
  if (!url.startsWith('oci://')) throw invalid('must start with oci://');
  const rest = url.slice('oci://'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) throw invalid('has no registry host');
  const registry = rest.slice(0, slash);
  if (!REGISTRY.test(registry)) throw invalid(`registry ${JSON.stringify(registry)} is not a host[:port]`);
  const { repository, reference } = splitReference(rest.slice(slash + 1));
  if (!REPOSITORY.test(repository))
    throw invalid(`repository ${JSON.stringify(repository)} must be lowercase path components`);
  if (!TAG.test(reference) && !DIGEST.test(reference))
    throw invalid(`${JSON.stringify(reference)} is neither a tag nor a sha256 digest`);
  return { registry, repository, reference };
}

function splitReference(path: string): { repository: string; reference: string } {
  const at = path.indexOf('@');
  if (at >= 0) return { repository: path.slice(0, at), reference: path.slice(at + 1) };
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/'))
    return { repository: path.slice(0, colon), reference: path.slice(colon + 1) };
  return { repository: path, reference: '' };
}

/** HTTP for loopback registries (as docker treats them as insecure by default), HTTPS otherwise. */
export function registryBaseUrl(reference: ImageReference, plainHttp = false): string {
  const host = reference.registry.replace(/:\d+$/, '');
  const loopback = host === 'localhost' || /^127\./.test(host) || host === '[::1]';
  return `${plainHttp || loopback ? 'http' : 'https'}://${reference.registry}`;
}
