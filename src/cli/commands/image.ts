import { Command, Option } from '@commander-js/extra-typings';

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
      // Loaded only when pushing: `image --help` stays fast.
      const { pushImage } = await import('../image-push.js');
      await pushImage(
        disk,
        reference,
        { level: Number(options.level), plainHttp: options.plainHttp },
        dependencies,
      );
    });
  return new Command('image').description('work with disk images in OCI registries').addCommand(push);
}
