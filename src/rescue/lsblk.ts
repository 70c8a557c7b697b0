import type { RescueDisk } from '../ports/rescue-system.js';

/** The fixed lsblk invocation whose JSON `parseLsblk` reads (whole devices only, sizes in bytes). */
export const lsblkCommandText = 'lsblk --json --bytes --nodeps --output NAME,SIZE,TYPE,WWN,SERIAL,MODEL';

interface LsblkDevice {
  readonly name?: unknown;
  readonly size?: unknown;
  readonly type?: unknown;
  readonly wwn?: unknown;
  readonly serial?: unknown;
  readonly model?: unknown;
}

/**
 * Disks (TYPE `disk`) in lsblk order, which is the order CAPH resolves root devices in. Older
 * lsblk versions print sizes as strings and absent values as null; both are accepted.
 */
export function parseLsblk(json: string): RescueDisk[] {
  const parsed = JSON.parse(json) as { blockdevices?: unknown };
  if (!Array.isArray(parsed.blockdevices)) throw new Error('lsblk output has no "blockdevices" list');
  return (parsed.blockdevices as LsblkDevice[])
    .filter((device) => device.type === 'disk')
    .map((device) => {
      const name = text(device.name);
      const sizeBytes = Number(device.size);
      if (name === undefined || !Number.isSafeInteger(sizeBytes)) {
        throw new Error(`lsblk listed a disk without a usable name or size: ${JSON.stringify(device)}`);
      }
      const wwn = text(device.wwn);
      const serial = text(device.serial);
      const model = text(device.model);
      return {
        name,
        sizeBytes,
        ...(wwn === undefined ? {} : { wwn }),
        ...(serial === undefined ? {} : { serial }),
        ...(model === undefined ? {} : { model }),
      };
    });
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
