import { parseImageReference, registryBaseUrl } from '../oci/image-reference.js';
import { parseRegistryCredentials } from '../oci/registry-auth.js';
import { RegistryClient } from '../oci/registry-client.js';
import { pushDiskImage } from '../oci/push-disk-image.js';
import type { ImageDependencies } from './commands/image.js';
import { progressReporter } from './progress.js';

/** `imageurl image push`: compresses DISK into an OCI artifact and pushes it to REFERENCE. */
export async function pushImage(
  disk: string,
  reference: string,
  options: { readonly level: number; readonly plainHttp: boolean },
  dependencies: ImageDependencies,
): Promise<void> {
  const target = parseImageReference(reference);
  if (target.reference.startsWith('sha256:')) throw new Error(`${reference}: push needs a tag, not a digest`);
  const credentials = parseRegistryCredentials(dependencies.registryToken);
  const client = new RegistryClient(
    registryBaseUrl(target, options.plainHttp),
    target.repository,
    credentials,
  );
  const progress = progressReporter(dependencies.stderr, 'compressing and uploading');
  const pushed = await pushDiskImage({
    file: disk,
    target,
    client,
    level: options.level,
    onProgress: progress.update,
  }).finally(progress.done); // ends the progress line, so an error starts a line of its own
  const { layer } = pushed;
  const ratio = ((100 * layer.size) / layer.uncompressedSize).toFixed(1);
  console.log(
    `pushed oci://${target.registry}/${target.repository}:${target.reference}@${pushed.manifestDigest}`,
  );
  console.log(
    `  disk ${layer.uncompressedDigest} (${layer.uncompressedSize} bytes), layer ${layer.digest} (${layer.size} bytes, ${ratio}%)`,
  );
}
