/**
 * The clusterctl variables of infrastructure-components.yaml (`${NAME:=default}`), where each
 * lands in the Deployment, and its default for one release. docs/deploy.md lists the same names
 * (a test checks).
 */
export interface ComponentVariable {
  readonly name: string;
  readonly default: string;
  readonly description: string;
}

export interface ReleaseInput {
  /** `v0.1.0` */
  readonly version: string;
  /** Where the release's images are pushed, like `ghcr.io/imageurl`. */
  readonly registry: string;
}

export type ComponentVariables = Record<
  | 'controllerImage'
  | 'commandsImage'
  | 'logLevel'
  | 'concurrency'
  | 'watchNamespace'
  | 'watchFilter'
  | 'registryTokenHosts'
  | 'commandTimeout',
  ComponentVariable
>;

export function componentVariables(input: ReleaseInput): ComponentVariables {
  return {
    controllerImage: {
      name: 'IMAGEURL_CONTROLLER_IMAGE',
      default: `${input.registry}/imageurl-controller:${input.version}`,
      description: 'the controller image (container `manager`)',
    },
    commandsImage: {
      name: 'IMAGEURL_COMMANDS_IMAGE',
      default: `${input.registry}/imageurl-commands:${input.version}`,
      description: 'the image whose /commands the initContainer copies to /shared',
    },
    logLevel: { name: 'IMAGEURL_LOG_LEVEL', default: 'info', description: 'trace, debug, info, warn, error' },
    concurrency: {
      name: 'IMAGEURL_CONCURRENCY',
      default: '4',
      description: 'concurrent reconciles per controller',
    },
    watchNamespace: {
      name: 'IMAGEURL_WATCH_NAMESPACE',
      default: '',
      description: 'watch only this namespace (empty: all)',
    },
    watchFilter: {
      name: 'IMAGEURL_WATCH_FILTER',
      default: '',
      description: 'reconcile only objects labelled cluster.x-k8s.io/watch-filter=<value> (empty: all)',
    },
    registryTokenHosts: {
      name: 'IMAGEURL_REGISTRY_TOKEN_HOSTS',
      default: '',
      description: 'registry hosts OCI_REGISTRY_AUTH_TOKEN is given for (empty: every command, as CAPH)',
    },
    commandTimeout: {
      name: 'IMAGEURL_IMAGE_URL_COMMAND_TIMEOUT',
      default: '7m',
      description: 'cancel provisioning when the image-url-command runs longer',
    },
  };
}

/**
 * `${NAME:=default}`, as clusterctl substitutes it. An empty default is written `""`: clusterctl
 * counts `${NAME:=}` as a variable without default and refuses to install until it is set; `""`
 * is a default to clusterctl and, unquoted in the YAML, the empty string once substituted.
 */
export function reference(variable: ComponentVariable): string {
  return `\${${variable.name}:=${variable.default === '' ? '""' : variable.default}}`;
}
