import { formatJson, formatText } from '../webhooks/manifests/format-results.js';
import { parseManifests } from '../webhooks/manifests/parse-manifests.js';
import { readManifests, UnreadableInputError } from '../webhooks/manifests/read-manifests.js';
import { validateManifests } from '../webhooks/manifests/validate-manifests.js';
import { withImageHostPolicy } from '../webhooks/rules/image-host-policy.js';
import { EXIT, type ValidateDependencies } from './commands/validate.js';
import { hostListOf, IMAGE_URL_HOSTS_ENV } from './commands/host-list-flag.js';

/** Checks the manifests at `paths`, prints the findings and returns the exit status. */
export async function validate(
  paths: readonly string[],
  options: { output: string; imageUrlHosts?: string[] },
  dependencies: ValidateDependencies,
): Promise<number> {
  let hosts: readonly string[] | undefined;
  try {
    hosts = hostListOf(options.imageUrlHosts, dependencies.env, IMAGE_URL_HOSTS_ENV);
  } catch (error) {
    return fail((error as Error).message, EXIT.usage);
  }
  const served = await dependencies.load();
  const admissions = hosts ? withImageHostPolicy(served.admissions, hosts) : served.admissions;
  let sources;
  try {
    sources = await readManifests(paths, process.stdin);
  } catch (error) {
    if (!(error instanceof UnreadableInputError)) throw error;
    return fail(error.message, EXIT.usage);
  }
  const rules = { servedKinds: served.servedKinds, admissions, schemaCheck: served.schemaCheck };
  const results = validateManifests(parseManifests(sources), rules);
  const report = options.output === 'json' ? formatJson(results) : formatText(results);
  process.stdout.write(report.stdout);
  process.stderr.write(report.stderr);
  // kubectl apply refuses an input without objects ("no objects passed to apply"): so do we.
  if (results.length === 0) return fail(`no objects in ${paths.join(', ')}`, EXIT.invalid);
  return results.some((result) => result.status === 'invalid') ? EXIT.invalid : EXIT.valid;
}

function fail(message: string, status: number): number {
  process.stderr.write(`imageurl validate: ${message}\n`);
  return status;
}
