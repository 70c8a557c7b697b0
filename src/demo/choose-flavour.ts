import { startBareMetalFlavour } from './baremetal-flavour.js';
import { ensureClusterApiManagers, startDemoClusterApiManagers } from './capi-managers.js';
import { capiFlavour } from './capi-flavour.js';
import { cloudFlavour } from './cloud-flavour.js';
import type { DemoFlavour, FlavourContext } from './demo-flavour.js';

/**
 * The story the options ask for: dedicated servers (without Cluster API's managers), the quick
 * Hetzner Cloud story (hand-made Machines), or the default one under Cluster API's own managers.
 */
export async function chooseFlavour(
  options: { readonly baremetal: boolean; readonly withoutClusterApi: boolean },
  context: FlavourContext,
  signal: AbortSignal,
): Promise<DemoFlavour> {
  if (options.baremetal) return startBareMetalFlavour(context);
  if (options.withoutClusterApi) return cloudFlavour(context);
  await ensureClusterApiManagers(context.paths, context.step, signal);
  await startDemoClusterApiManagers(context.paths, context.stack, context);
  return capiFlavour(context, context.stack.controlPlane.binaries.kubectl ?? 'kubectl');
}
