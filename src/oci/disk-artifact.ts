/**
 * How imageurl stores a disk image in an OCI registry (docs/oci-disk-artifact.md): an OCI 1.1
 * artifact whose single layer is the raw disk, compressed, annotated with the size and digest of
 * the uncompressed disk so a command can verify what it wrote.
 */
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const DISK_ARTIFACT_TYPE = 'application/vnd.imageurl.disk.v1';
export const DISK_LAYER_MEDIA_TYPE = {
  raw: 'application/vnd.imageurl.disk.v1.raw',
  zstd: 'application/vnd.imageurl.disk.v1.raw+zstd',
  xz: 'application/vnd.imageurl.disk.v1.raw+xz',
  gzip: 'application/vnd.imageurl.disk.v1.raw+gzip',
} as const;
export const DISK_ANNOTATIONS = {
  title: 'org.opencontainers.image.title',
  uncompressedSize: 'io.imageurl.disk.uncompressed-size',
  uncompressedDigest: 'io.imageurl.disk.uncompressed-digest',
  created: 'org.opencontainers.image.created',
} as const;

/** The OCI 1.1 empty config (`{}`), as artifacts without a config use it. */
export const EMPTY_CONFIG = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
  bytes: new TextEncoder().encode('{}'),
} as const;

export interface DiskLayer {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly title: string;
  readonly uncompressedSize: number;
  readonly uncompressedDigest: string;
}

/** The manifest bytes for one disk layer (stable key order, so equal inputs give equal digests). */
export function diskManifest(layer: DiskLayer, created: Date): Uint8Array {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: DISK_ARTIFACT_TYPE,
    config: { mediaType: EMPTY_CONFIG.mediaType, digest: EMPTY_CONFIG.digest, size: EMPTY_CONFIG.size },
    layers: [
      {
        mediaType: layer.mediaType,
        digest: layer.digest,
        size: layer.size,
        annotations: {
          [DISK_ANNOTATIONS.title]: layer.title,
          [DISK_ANNOTATIONS.uncompressedSize]: String(layer.uncompressedSize),
          [DISK_ANNOTATIONS.uncompressedDigest]: layer.uncompressedDigest,
        },
      },
    ],
    annotations: { [DISK_ANNOTATIONS.created]: created.toISOString() },
  };
  return new TextEncoder().encode(JSON.stringify(manifest));
}
