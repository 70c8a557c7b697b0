import { isCloudError } from '../ports/cloud-errors.js';
import type { CloudServers } from '../ports/cloud-servers.js';
import type { BootState } from './boot-state.js';
import { conditionFalse, conditionTrue } from './conditions.js';
import { ProvisioningError } from '../image-url/errors.js';
import { hcloudReasons } from './reasons.js';
import type { StepResult } from './step-result.js';

/** What each call is called in messages (CAPH: "failed to get enabling rescue action: …"). */
const callNames: Readonly<Record<keyof CloudServers, string>> = {
  createServer: 'create server',
  listImages: 'list images',
  getAction: 'get action',
  enableRescue: 'enable rescue system',
  powerOn: 'power on server',
  reset: 'reset server',
  getServer: 'get server',
  findServerByName: 'find server by name',
  deleteServer: 'delete server',
  setServerLabels: 'label server',
};

const actionNames: Partial<Record<BootState, string>> = {
  Initializing: 'get create server action',
  EnablingRescue: 'get enabling rescue action',
};

function callName(state: BootState, method: keyof CloudServers | undefined): string {
  if (method === undefined) return 'call the Hetzner Cloud API';
  return (method === 'getAction' ? actionNames[state] : undefined) ?? callNames[method];
}

/**
 * The handling every state shares for an error a handler did not handle itself (as CAPH's
 * `pkg/services/hcloud/server/server.go`):
 * unauthorized → token condition False, no retry until the secret changes; rate limited →
 * condition + event + error (the dispatcher then waits out `rateLimitWaitMs`); any other
 * failure → error with backoff, the message naming the failed call.
 */
export function resultOfThrown(
  error: unknown,
  where: { readonly state: BootState; readonly failedCall?: keyof CloudServers },
): StepResult {
  if (!isCloudError(error)) return { kind: 'error', cause: error };
  const context = `failed to ${callName(where.state, where.failedCall)}`;
  const detail = `${context}: ${error.message} (${error.apiCode})`;
  if (error.code === 'unauthorized' || error.code === 'forbidden') {
    const reason = hcloudReasons.HCloudTokenAvailable.Invalid;
    return {
      kind: 'blocked',
      message: detail,
      changes: { conditions: [conditionFalse(reason, `wrong hcloud token: ${detail}`, 'Error')] },
    };
  }
  const cause = new ProvisioningError('CLOUD_CALL_FAILED', detail, { cause: error });
  if (error.code !== 'rate_limit_exceeded') return { kind: 'error', cause };
  const message = `exceeded hcloud rate limit with calling function "${where.failedCall ?? 'unknown'}"`;
  return {
    kind: 'error',
    cause,
    changes: {
      conditions: [conditionTrue(hcloudReasons.HCloudRateLimitExceeded.Exceeded, message)],
    },
    events: [{ type: 'Warning', reason: 'RateLimitExceeded', message }],
  };
}
