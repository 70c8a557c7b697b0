import { isCloudError, type CloudError, type CloudErrorCode } from '../ports/cloud-errors.js';
import { adoptExistingServer } from './adopt-server.js';
import { conditionFalse, type ConditionChange } from './conditions.js';
import { recordRejection, type RejectionKind } from './create-rejection.js';
import { hcloudReasons } from './reasons.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/**
 * Create answers retrying cannot change (docs.hetzner.cloud, "Errors"; create-rejection.ts for
 * what each kind means). Everything else (5xx, 429, `locked`, timeouts) is retried with backoff.
 */
const rejections: Readonly<Partial<Record<CloudErrorCode, RejectionKind>>> = {
  invalid_input: 'permanent',
  not_found: 'later',
  resource_unavailable: 'later',
  resource_limit_exceeded: 'later',
  placement_error: 'later',
};

/**
 * A create call that failed: a taken name → adopt the server when it is this machine's; a
 * rejection (above) → a condition naming the field and value, a Warning event, and no further
 * create call for this request (permanent) or for a long wait (later); anything else is thrown
 * (the shared error handling). Neither rejection fails the machine: a failed machine is replaced
 * by Cluster API, and its replacement would be rejected the same way (docs/hcloud-machine.md).
 */
export async function createFailed(ctx: StepContext, error: unknown): Promise<StepResult> {
  if (isCloudError(error, 'uniqueness_error')) return adoptExistingServer(ctx);
  const kind = isCloudError(error) ? rejectionKindOf(error) : undefined;
  if (kind === undefined || !isCloudError(error)) throw error;
  const rejection = recordRejection(ctx, kind);
  const next =
    rejection.retryAt === undefined
      ? 'no further create call until the HCloudMachine spec changes'
      : `asking again at ${rejection.retryAt.toISOString()}`;
  const message = `failed to create server ${ctx.input.name}: ${error.message} (${error.apiCode})${fieldsOf(ctx, error)}${hintOf(ctx, error.code)}; ${next}`;
  const change: ConditionChange =
    kind === 'permanent'
      ? conditionFalse(hcloudReasons.ServerCreated.CreationFailedIrrecoverably, message, 'Error')
      : conditionFalse(hcloudReasons.ServerCreated.CreationFailed, message, 'Error');
  const events = [{ type: 'Warning', reason: 'FailedCreateHCloudServer', message } as const];
  const changes = { conditions: [change], createRejection: rejection };
  if (rejection.retryAt === undefined) return { kind: 'blocked', message, changes, events };
  const after = rejection.retryAt.getTime() - ctx.now.getTime();
  return { kind: 'continue', after, message, changes, events };
}

/** An unknown server type is permanent too: the type catalog is Hetzner's, not the user's. */
function rejectionKindOf(error: CloudError): RejectionKind | undefined {
  if (error.code === 'not_found' && error.fields?.includes('server_type') === true) return 'permanent';
  return rejections[error.code];
}

/** The request fields Hetzner named, as the spec field and value they came from. */
function fieldsOf(ctx: StepContext, error: CloudError): string {
  const named = (error.fields ?? []).map((field) => specFieldOf(ctx, field));
  return named.length === 0 ? '' : `; rejected: ${named.join(', ')}`;
}

function specFieldOf(ctx: StepContext, apiField: string): string {
  const { input } = ctx;
  const quoted = (value: string | undefined): string => JSON.stringify((value ?? '').slice(0, 63));
  switch (apiField) {
    case 'server_type':
      return `spec.type ${quoted(input.serverType)}`;
    case 'image':
      return input.imageName === undefined
        ? `image ${quoted(ctx.settings.baseImage)} (the controller's base image)`
        : `spec.imageName ${quoted(input.imageName)}`;
    case 'location':
    case 'datacenter':
      return `location ${quoted(input.location)} (the Machine's failure domain / HetznerCluster region)`;
    case 'ssh_keys':
      return `spec.sshKeys ${quoted(input.sshKeys.join(','))}`;
    case 'placement_group':
      return `spec.placementGroupName ${quoted(input.placementGroup?.name)}`;
    default:
      return `field ${quoted(apiField)}`;
  }
}

/** What an operator can do about a full placement group (10 servers per spread group). */
function hintOf(ctx: StepContext, code: CloudErrorCode): string {
  const group = ctx.input.placementGroup;
  if (code !== 'placement_error' || group === undefined) return '';
  return `; placement group ${JSON.stringify(group.name.slice(0, 63))} (spec.placementGroupName) cannot take another server: a spread group holds at most 10, use another group or remove a server from it`;
}
