import { planOsBoot, type OsBootPlan } from '../os-image/os-boot-plan.js';
import type { ServerHost } from '../host/server-host.js';

/** What the simulated firmware found: the first disk that holds a bootable image, or why none. */
export type OsTarget =
  | { readonly bootable: true; readonly disk: string; readonly plan: OsBootPlan }
  | { readonly bootable: false; readonly reason: string };

/** Tries the disks in order, as firmware with the default boot order does. */
export async function findOsTarget(host: ServerHost): Promise<OsTarget> {
  const reasons: string[] = [];
  for (const spec of host.disks.specs) {
    const decision = await planOsBoot(host.disks.imagePath(spec.name)).catch((error: unknown) => ({
      bootable: false as const,
      reason: error instanceof Error ? error.message : String(error),
    }));
    if (decision.bootable) return { bootable: true, disk: spec.name, plan: decision.plan };
    reasons.push(`${spec.name}: ${decision.reason}`);
  }
  return { bootable: false, reason: `no bootable disk (${reasons.join('; ') || 'no disks'})` };
}

/** Files the booted OS finds in /run/imageurl-system/ (docs/sim-os-image.md). */
export function osSystemFiles(target: Extract<OsTarget, { bootable: true }>): Record<string, string> {
  return {
    'bootstrap-data': target.plan.bootstrapData,
    'image.json': `${JSON.stringify({ ...target.plan.image, bootDisk: target.disk }, null, 2)}\n`,
  };
}
