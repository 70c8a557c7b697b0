import type { RescueDisk } from '../ports/rescue-system.js';
import type { DeviceStringType, HostStorage, RootDeviceHints } from './host.js';
import { provisionReasons } from './reasons.js';

const noDevice = provisionReasons.NoStorageDeviceFound.reason;
const invalid = provisionReasons.ImageSpecInvalid.reason;

/** Why no root device can be chosen, with the condition reason it is shown under. */
export interface DeviceProblem {
  readonly problem: typeof noDevice | typeof invalid;
  readonly message: string;
}

export function isDeviceProblem(value: unknown): value is DeviceProblem {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

/** The WWNs the hints name, in hint order: `wwn`, or `raid.wwn` (two or more), never both. */
export function hintedWwns(hints: RootDeviceHints | undefined): readonly string[] | DeviceProblem {
  const single = hints?.wwn ? [hints.wwn] : [];
  const raid = hints?.raid?.wwn ?? [];
  if (single.length + raid.length === 0) {
    return {
      problem: noDevice,
      message: 'no WWN is configured in rootDeviceHints: set spec.rootDeviceHints.wwn or raid.wwn',
    };
  }
  if (single.length > 0) {
    if (raid.length === 0) return single;
    return {
      problem: invalid,
      message: 'spec.rootDeviceHints sets both wwn and raid.wwn; set one',
    };
  }
  if (raid.length < 2) {
    return { problem: invalid, message: 'spec.rootDeviceHints.raid.wwn needs two or more WWNs' };
  }
  return raid;
}

/**
 * CAPH's rules for the hints against the machine's `swraid` and the disks found: one disk
 * needs `swraid: 0` and `wwn`, two or more need `swraid: 1` and `raid.wwn`, and every WWN must
 * be a disk of this server.
 */
export function checkRootDevices(
  hints: RootDeviceHints | undefined,
  swraid: 0 | 1,
  disks: readonly { readonly wwn?: string | undefined }[],
): DeviceProblem | undefined {
  const wwns = hintedWwns(hints);
  if (isDeviceProblem(wwns)) return wwns;
  if (swraid === 1 && wwns.length < 2) {
    return {
      problem: invalid,
      message: 'installImage.swraid is 1, but spec.rootDeviceHints names one disk (wwn) instead of raid.wwn',
    };
  }
  if (swraid === 0 && wwns.length > 1) {
    return {
      problem: invalid,
      message: `spec.rootDeviceHints.raid.wwn names ${wwns.length} disks, which needs installImage.swraid: 1`,
    };
  }
  const found = new Set(disks.map((disk) => disk.wwn));
  const missing = wwns.filter((wwn) => !found.has(wwn));
  if (missing.length === 0) return undefined;
  const present = [...found].filter((wwn) => wwn !== undefined).join(', ') || 'none';
  return {
    problem: noDevice,
    message: `no disk with WWN ${missing.join(', ')} on this server (WWNs found: ${present})`,
  };
}

/**
 * The command's fourth argument (the root devices), from the disks lsblk lists on this boot: with
 * `deviceStringType: wwn` the hinted WWNs in hint order, otherwise the kernel names of the
 * hinted disks in lsblk order (names change across boots, so they are read right before the start).
 */
export function rootDeviceArgs(
  hints: RootDeviceHints | undefined,
  request: { readonly deviceStringType: DeviceStringType; readonly swraid: 0 | 1 },
  disks: readonly RescueDisk[],
): readonly string[] | DeviceProblem {
  const problem = checkRootDevices(hints, request.swraid, disks);
  if (problem) return problem;
  const wwns = hintedWwns(hints) as readonly string[];
  if (request.deviceStringType === 'wwn') return wwns;
  return disks.filter((disk) => disk.wwn !== undefined && wwns.includes(disk.wwn)).map((disk) => disk.name);
}

/** `hardwareDetails.storage` from lsblk's disks; the kernel name is left out (CAPH blanks it). */
export function storageOf(disks: readonly RescueDisk[]): HostStorage[] {
  return disks.map((disk) => ({
    sizeBytes: disk.sizeBytes,
    sizeGB: Math.floor(disk.sizeBytes / 1e9),
    ...(disk.wwn === undefined ? {} : { wwn: disk.wwn }),
    ...(disk.model === undefined ? {} : { model: disk.model }),
    ...(disk.serial === undefined ? {} : { serialNumber: disk.serial }),
  }));
}
