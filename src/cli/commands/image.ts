import { Command, Option } from '@commander-js/extra-typings';
import { parseImageReference, registryBaseUrl } from '../../oci/image-reference.js';
import { parseRegistryCredentials } from '../../oci/registry-auth.js';
import { RegistryClient } from '../../oci/registry-client.js';
import { pushDiskImage } from '../../oci/push-disk-image.js';
import { progressReporter } from '../progress.js';

export interface ImageDependencies {
  /** OCI_REGISTRY_AUTH_TOKEN: `user:password` or a token; never taken from the command line. */
  readonly registryToken: string | undefined;
  readonly stderr: NodeJS.WriteStream;
}

/** `imageurl image push DISK oci://REGISTRY/REPO:TAG`: a disk image as an OCI artifact. */
export function imageCommand(dependencies: ImageDependencies): Command {
  const push = new Command('push')
    .description(
      'package a raw disk image as an OCI artifact (zstd layer with the disk size and digest) and push it; the registry and credentials are checked before compressing',
    )
    .argument('<disk>', 'raw disk image file')
    .argument('<reference>', 'oci://REGISTRY/REPOSITORY:TAG')
    .addOption(new Option('--level <n>', 'zstd compression level, 1-19').default('3'))
    .option('--plain-http', 'use HTTP even for a non-loopback registry', false)
    .addHelpText(
      'after',
      '\nCredentials come from OCI_REGISTRY_AUTH_TOKEN (user:password or a token), as for the commands.',
    )
    .action(async (disk, reference, options) => {
      const target = parseImageReference(reference);
      if (target.reference.startsWith('sha256:'))
        throw new Error(`${reference}: push needs a tag, not a digest`);
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
        level: Number(options.level),
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
    });
  return new Command('image').description('work with disk images in OCI registries').addCommand(push);
}
