import { Command, Option } from '@commander-js/extra-typings';
import type { KindAdmission } from '../../webhooks/kind-admission.js';
import { formatJson, formatText } from '../../webhooks/manifests/format-results.js';
import { parseManifests } from '../../webhooks/manifests/parse-manifests.js';
import { readManifests, UnreadableInputError } from '../../webhooks/manifests/read-manifests.js';
import { validateManifests, type SchemaCheck } from '../../webhooks/manifests/validate-manifests.js';
import { withImageHostPolicy } from '../../webhooks/rules/image-host-policy.js';
import { hostListOf, IMAGE_URL_HOSTS_ENV, IMAGE_URL_HOSTS_HELP, parseHostList } from './host-list-flag.js';

export interface ValidateDependencies {
  readonly admissions: readonly KindAdmission[];
  readonly schemaCheck: SchemaCheck;
  /** For `$IMAGEURL_IMAGE_URL_HOSTS`. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * `imageurl validate FILE|DIR|-…`: the webhook's rules, offline. Exit 0 when every document is
 * valid, 1 when any is invalid, 2 when input cannot be read.
 */
export function validateCommand(dependencies: ValidateDependencies): Command<[string[]], { output: string }> {
  return new Command('validate')
    .description(
      'check manifests (YAML/JSON, multi-document, files, folders or - for stdin) with the webhook rules, offline',
    )
    .argument('<paths...>', 'files, folders (every .yaml/.yml/.json below) or - for standard input')
    .addOption(new Option('-o, --output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .option('--image-url-hosts <hosts>', `as the webhook's: ${IMAGE_URL_HOSTS_HELP}`, parseHostList)
    .action(async (paths, options) => {
      try {
        const hosts = hostListOf(options.imageUrlHosts, dependencies.env, IMAGE_URL_HOSTS_ENV);
        const admissions = hosts
          ? withImageHostPolicy(dependencies.admissions, hosts)
          : dependencies.admissions;
        const sources = await readManifests(paths, process.stdin);
        const results = validateManifests(parseManifests(sources), admissions, dependencies.schemaCheck);
        const report = options.output === 'json' ? formatJson(results) : formatText(results);
        process.stdout.write(report.stdout);
        process.stderr.write(report.stderr);
        process.exitCode = results.some((result) => result.status === 'invalid') ? 1 : 0;
      } catch (error) {
        if (!(error instanceof UnreadableInputError)) throw error;
        process.stderr.write(`imageurl validate: ${error.message}\n`);
        process.exitCode = 2;
      }
    });
}
