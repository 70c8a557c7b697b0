import { resolve } from 'node:path';
// From kube/config directly, not kube/index: the errors are all this needs of it.
import { ConfigError } from '../../kube/config/errors.js';
import { validateImageUrl } from '../../webhooks/rules/image-url.js';
import type { ProvisionRequest, ProvisionTarget } from './provision-request.js';

/** The flags of `imageurl provision`, as commander parsed them. */
export interface ProvisionFlags {
  readonly name?: string | undefined;
  readonly type?: string | undefined;
  readonly location?: string | undefined;
  readonly imageUrl?: string | undefined;
  readonly command?: string | undefined;
  readonly bootstrapData?: string | undefined;
  readonly sshKey?: string | undefined;
  readonly robotServer?: number | undefined;
  readonly rootDeviceWwn?: readonly string[] | undefined;
  /** false with `--no-os-check`. */
  readonly osCheck?: boolean | undefined;
}

/** A server name (hcloud's rule) that is also a safe file name: a DNS label. */
const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function usage(flag: string, value: string, allowed: string): ConfigError {
  return new ConfigError(
    'CONFIG_INVALID_FLAG',
    `${flag}: invalid value ${JSON.stringify(value.slice(0, 60))}; allowed: ${allowed}`,
  );
}

function required(flag: string, why: string): ConfigError {
  return new ConfigError('CONFIG_INVALID_FLAG', `${flag}: missing; ${why}`);
}

export function checkName(name: string | undefined): string {
  if (name === undefined) throw required('--name', 'the server name, which also names this provision');
  if (!NAME.test(name))
    throw usage('--name', name, 'lower-case letters, digits and inner dashes, at most 63');
  return name;
}

function robotTarget(
  flags: ProvisionFlags,
  serverId: number,
  stored: ProvisionTarget | undefined,
): ProvisionTarget {
  if (flags.type !== undefined)
    throw usage('--type', flags.type, 'not with --robot-server (a dedicated server has no type to choose)');
  const wwns = flags.rootDeviceWwn ?? (stored?.kind === 'robot' ? stored.rootDeviceWwns : undefined);
  if (wwns === undefined || wwns.length === 0)
    throw required(
      '--root-device-wwn',
      'with --robot-server, the WWN of the disk to install on (two or more: a RAID)',
    );
  return {
    kind: 'robot',
    serverId,
    rootDeviceWwns: [...wwns],
    osCheck: flags.osCheck === false ? 'none' : 'ssh',
  };
}

function targetOf(flags: ProvisionFlags, stored: ProvisionTarget | undefined): ProvisionTarget {
  if (flags.robotServer !== undefined) return robotTarget(flags, flags.robotServer, stored);
  if (flags.type === undefined) {
    if (stored !== undefined) return stored;
    throw required(
      '--type',
      'a Hetzner Cloud server type such as cpx22, or --robot-server for a dedicated server',
    );
  }
  const location = flags.location ?? (stored?.kind === 'hcloud' ? stored.location : undefined);
  return { kind: 'hcloud', serverType: flags.type, ...(location ? { location } : {}) };
}

/** A flag's value (a path made absolute), else the run in progress's, else a usage error. */
function given<T>(flag: string, value: T | undefined, stored: T | undefined, why: string): T {
  const chosen = value ?? stored;
  if (chosen === undefined) throw required(flag, why);
  return chosen;
}

const absolute = (path: string | undefined): string | undefined =>
  path === undefined ? undefined : resolve(path);

/**
 * The request of this run: the flags given, the run in progress for those not given (so the
 * same command, or just the name, continues it). Paths are made absolute, so a run resumed from
 * another folder reads the same files.
 */
export function requestOf(flags: ProvisionFlags, stored: ProvisionRequest | undefined): ProvisionRequest {
  const name = checkName(flags.name);
  const imageUrl = given(
    '--image-url',
    flags.imageUrl,
    stored?.imageUrl,
    'the image, e.g. oci://ghcr.io/org/node:v1',
  );
  const urlProblem = validateImageUrl('--image-url', imageUrl);
  if (urlProblem) throw usage('--image-url', imageUrl, urlProblem.detail);
  const commandFile = given(
    '--command',
    absolute(flags.command),
    stored?.commandFile,
    'the image-url-command file',
  );
  const sshKeyFile = given(
    '--ssh-key',
    absolute(flags.sshKey),
    stored?.sshKeyFile,
    'the private key file root logs in to the rescue system with',
  );
  const bootstrapDataFile = absolute(flags.bootstrapData) ?? stored?.bootstrapDataFile;
  return {
    name,
    imageUrl,
    commandFile,
    sshKeyFile,
    ...(bootstrapDataFile === undefined ? {} : { bootstrapDataFile }),
    target: targetOf(flags, stored?.target),
  };
}
