/**
 * infrastructure-components.yaml from `kubectl kustomize config/default`: the same objects, with
 * the Deployment's images and options turned into clusterctl variables.
 */
import { parseDocument, Scalar, type Document } from 'yaml';
import { componentVariables, reference, type ReleaseInput } from './variables.js';

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: unknown }[];
}

/** An error in config/ the release cannot paper over: named, with what was expected. */
export class ComponentsError extends Error {
  readonly code = 'RELEASE_COMPONENTS';
}

/** An env value: double-quoted (it must stay a string), except a `${NAME:=""}` reference, whose default carries the quotes. */
function envValue(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = value.endsWith(':=""}') ? Scalar.PLAIN : Scalar.QUOTE_DOUBLE;
  return scalar;
}

function containerPath(document: Document, list: string, name: string): (string | number)[] {
  const containers =
    (document.getIn(['spec', 'template', 'spec', list]) as { toJSON(): Container[] } | undefined)?.toJSON() ??
    [];
  const index = containers.findIndex((container) => container.name === name);
  if (index < 0)
    throw new ComponentsError(`config/manager: the Deployment has no ${list} entry named ${name}`);
  return ['spec', 'template', 'spec', list, index];
}

function setEnv(document: Document, container: (string | number)[], env: string, value: string): void {
  const entries = (document.getIn([...container, 'env']) as { toJSON(): Container['env'] }).toJSON() ?? [];
  const index = entries.findIndex((entry) => entry.name === env);
  if (index < 0) throw new ComponentsError(`config/manager: container manager has no env ${env}`);
  document.setIn([...container, 'env', index, 'value'], envValue(value));
}

function setFlag(document: Document, container: (string | number)[], flag: string, value: string): void {
  const args = (document.getIn([...container, 'args']) as { toJSON(): string[] }).toJSON();
  const index = args.findIndex((arg) => arg.startsWith(`${flag}=`));
  if (index < 0) throw new ComponentsError(`config/manager: container manager has no ${flag}=… argument`);
  document.setIn([...container, 'args', index], `${flag}=${value}`);
}

/** The Deployment with its images and options as variables. */
function releaseDeployment(text: string, input: ReleaseInput): string {
  const document = parseDocument(text);
  const variables = componentVariables(input);
  const manager = containerPath(document, 'containers', 'manager');
  const commands = containerPath(document, 'initContainers', 'commands');
  document.setIn([...manager, 'image'], reference(variables.controllerImage));
  document.setIn([...commands, 'image'], reference(variables.commandsImage));
  setEnv(document, manager, 'IMAGEURL_LOG_LEVEL', reference(variables.logLevel));
  setEnv(document, manager, 'IMAGEURL_CONCURRENCY', reference(variables.concurrency));
  setEnv(document, manager, 'IMAGEURL_NAMESPACE', reference(variables.watchNamespace));
  setEnv(document, manager, 'IMAGEURL_WATCH_FILTER', reference(variables.watchFilter));
  setEnv(document, manager, 'IMAGEURL_REGISTRY_TOKEN_HOSTS', reference(variables.registryTokenHosts));
  setFlag(document, manager, '--image-url-command-timeout', reference(variables.commandTimeout));
  return document.toString({ lineWidth: 0 });
}

/** The rendered config/default with the release's variables (other objects byte for byte). */
export function infrastructureComponents(rendered: string, input: ReleaseInput): string {
  const documents = rendered.split(/^---\n/m).filter((text) => text.trim() !== '');
  const deployments = documents.filter((text) => /^kind: Deployment$/m.test(text));
  if (deployments.length !== 1)
    throw new ComponentsError(`config/default renders ${deployments.length} Deployments; expected exactly 1`);
  const released = documents.map((text) =>
    deployments.includes(text) ? releaseDeployment(text, input) : text,
  );
  return released.map((text) => `---\n${text}`).join('');
}
