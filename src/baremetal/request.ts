import { ProvisioningError } from '../image-url/errors.js';
import type { ProvisioningRequest } from './host.js';
import type { HostStepContext } from './step-context.js';

/** The claiming machine's request; every state between preparing and provisioned has one. */
export function requestOf(ctx: HostStepContext): ProvisioningRequest {
  const request = ctx.input.request;
  if (request === undefined) {
    throw new ProvisioningError('NOT_CLAIMED', `host ${ctx.input.name} has no claiming machine's request`);
  }
  return request;
}
