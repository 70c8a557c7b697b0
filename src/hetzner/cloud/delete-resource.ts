import { isCloudError } from '../../ports/cloud-errors.js';
import type { HcloudTransport } from './hcloud-transport.js';

/** `DELETE path`; a resource that is gone already resolves `deleted: false` (deleting twice is fine). */
export async function deleteResource(
  transport: HcloudTransport,
  operation: string,
  path: string,
): Promise<{ readonly deleted: boolean }> {
  try {
    await transport.request({ operation, method: 'DELETE', path });
    return { deleted: true };
  } catch (error) {
    if (isCloudError(error, 'not_found')) return { deleted: false };
    throw error;
  }
}
