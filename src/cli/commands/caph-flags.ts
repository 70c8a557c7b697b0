/**
 * Cluster API Provider Hetzner's flags that have no name of ours, so a CAPH Deployment's args
 * carry over: the per-kind concurrencies and `-v` are honoured; the flags of features imageurl
 * lacks are accepted with a warning naming them as ignored, except `--pre-provision-command`,
 * which is refused: a health check that silently stops running would install unhealthy servers.
 * (CAPH names with an equivalent, like `--leader-elect-namespace`, are aliases in RUNTIME_FLAGS.)
 */
import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
// From kube/config directly, not kube/index: --help must not load the controller runtime.
import { ConfigError } from '../../kube/config/errors.js';
import { addBooleanFlag } from './boolean-flag.js';
import { flagOrEnv, helpTail } from './flag-env.js';

/** Per-kind worker counts; each defaults to --concurrency. */
export type KindConcurrency = Partial<
  Record<'hcloudMachine' | 'hetznerCluster' | 'hetznerBareMetalMachine' | 'hetznerBareMetalHost', number>
>;

const KIND_FLAGS: readonly [keyof KindConcurrency, string][] = [
  ['hcloudMachine', 'hcloudmachine-concurrency'],
  ['hetznerCluster', 'hetznercluster-concurrency'],
  ['hetznerBareMetalMachine', 'hetznerbaremetalmachine-concurrency'],
  ['hetznerBareMetalHost', 'hetznerbaremetalhost-concurrency'],
];

const IGNORED: readonly { flag: string; boolean: boolean; why: string }[] = [
  { flag: 'disable-csr-approval', boolean: true, why: 'imageurl approves no CSRs' },
  { flag: 'rate-limit', boolean: false, why: 'imageurl backs off per Hetzner API response instead' },
  { flag: 'debug-hcloud-api-calls', boolean: true, why: 'the API calls show in --log-level=debug' },
  { flag: 'skip-crd-migration-phases', boolean: false, why: 'imageurl migrates no CRDs' },
];

function parseCount(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 1000)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: an integer from 1 to 1000`,
    );
  return count;
}

/** klog's -v: 0 is info, 1 to 4 debug, 5 and more trace. */
export function parseVerbosity(value: string): string {
  const level = Number(value);
  if (!/^\d+$/.test(value) || level > 10)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: 0 (info), 1 to 4 (debug), 5 to 10 (trace)`,
    );
  return level === 0 ? 'info' : level < 5 ? 'debug' : 'trace';
}

const envOf = (flag: string): string => `IMAGEURL_${flag.toUpperCase().replace(/-/g, '_')}`;
const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function addCaphFlags<C extends Command<[], Record<string, unknown>>>(command: C): C {
  for (const [, flag] of KIND_FLAGS)
    command.option(
      `--${flag} <n>`,
      `CAPH's per-kind concurrency (default: --concurrency)${helpTail(undefined, envOf(flag)).trimEnd()}`,
      parseCount,
    );
  command.option(
    '-v, --v <level>',
    'log verbosity as klog counts it: 0 = info, 1-4 = debug, 5+ = trace (instead of --log-level)',
    parseVerbosity,
  );
  command.option('--pre-provision-command <path>', 'CAPH only: refused, imageurl has no such check');
  for (const { flag, boolean, why } of IGNORED) {
    const help = `CAPH only: accepted and ignored (${why})`;
    if (boolean) addBooleanFlag(command, flag, help, { negatable: false });
    else command.option(`--${flag} <value>`, help);
  }
  return command;
}

export interface CaphSettings {
  readonly concurrency: KindConcurrency;
  /** The log level -v asks for (undefined: -v not given). */
  readonly logLevel: string | undefined;
  /** One line per CAPH flag given that imageurl ignores. */
  readonly warnings: readonly string[];
}

/** The CAPH flags' meaning; refuses --pre-provision-command and -v together with --log-level. */
export function caphSettings(values: Record<string, unknown>, env: NodeJS.ProcessEnv): CaphSettings {
  if (values['preProvisionCommand'] !== undefined)
    throw new ConfigError(
      'CONFIG_INVALID_FLAG',
      '--pre-provision-command: not supported; imageurl runs no check before installing (run it in your image-url-command)',
    );
  if (values['v'] !== undefined && values['logLevel'] !== undefined)
    throw new ConfigError('CONFIG_INVALID_FLAG', '-v: not together with --log-level; allowed: one of them');
  const concurrency: KindConcurrency = {};
  for (const [key, flag] of KIND_FLAGS) {
    const count = flagOrEnv(values[camel(flag)] as number | undefined, env, envOf(flag), parseCount);
    if (count !== undefined) concurrency[key] = count;
  }
  const warnings = IGNORED.filter(({ flag }) => values[camel(flag)] !== undefined).map(
    ({ flag, why }) => `--${flag} is CAPH's and ignored: ${why}`,
  );
  return { concurrency, logLevel: values['v'] as string | undefined, warnings };
}
