import { Command, Option } from '@commander-js/extra-typings';
import type { LoadServedDefinitions } from '../served-kinds.js';
import { IMAGE_URL_HOSTS_HELP, parseHostList } from './host-list-flag.js';

export interface ValidateDependencies {
  /** The served kinds, their admission rules and the CRD schema check, loaded when validate runs. */
  readonly load: LoadServedDefinitions;
  /** For `$IMAGEURL_IMAGE_URL_HOSTS`. */
  readonly env: NodeJS.ProcessEnv;
}

/** Exit statuses, as in the help text. */
export const EXIT = { valid: 0, invalid: 1, usage: 2 } as const;

const HELP_AFTER = `
Checks each object as kubectl apply (strict field validation, its default) would with imageurl's
CRDs and admission webhook on create:
  - kinds of infrastructure.cluster.x-k8s.io that imageurl does not serve, and versions other
    than v1beta1, are errors; objects of other groups are skipped with a note
  - fields the CRD does not declare are errors (with the field they most likely meant)
  - schema types, enums and the webhook's rules
  - size: over 1.5 MiB as JSON (etcd's default --max-request-bytes) is refused; with kubectl
    apply's copy in the last-applied-configuration annotation, annotations over 256 KiB
  - items of a List (kind: List), each named items[i]
One line per problem: FILE:LINE [items[i]] KIND/NAME FIELD: MESSAGE, LINE being the field's line.

Exit status: 0 every object valid, 1 a problem found (or no object at all), 2 usage error or
input that cannot be read.`;

/** `imageurl validate FILE|DIR|-…`: the apiserver's and the webhook's checks, offline. */
export function validateCommand(dependencies: ValidateDependencies): Command<[string[]], { output: string }> {
  const command = new Command('validate')
    .description(
      'check manifests (YAML/JSON, multi-document, files, folders or - for stdin) as the apiserver and the webhook would, offline',
    )
    .argument('<paths...>', 'files, folders (every .yaml/.yml/.json below) or - for standard input')
    .addOption(new Option('-o, --output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .option('--image-url-hosts <hosts>', `as the webhook's: ${IMAGE_URL_HOSTS_HELP}`, parseHostList)
    .addHelpText('after', HELP_AFTER)
    .action(async (paths, options) => {
      // Loaded only when validating: `validate --help` stays fast.
      const { validate } = await import('../validate-run.js');
      process.exitCode = await validate(paths, options, dependencies);
    });
  // A usage error (unknown option, missing path, bad value) exits 2, as Go's flag package does,
  // so scripts can tell "you called me wrong" from "your manifests are wrong".
  return command.exitOverride((error) => {
    process.exit(error.exitCode === 0 ? EXIT.valid : EXIT.usage);
  });
}
