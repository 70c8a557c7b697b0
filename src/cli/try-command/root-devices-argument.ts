import type { DeviceStringType } from '../../baremetal/host.js';
import { isDeviceProblem, rootDeviceArgs } from '../../baremetal/root-devices.js';
import type { RescueSession } from '../../ports/rescue-system.js';
import type { DeviceString } from '../commands/try-command.js';

/**
 * The command's fourth argument by the bare-metal rules (src/baremetal/root-devices.ts), with
 * every sandbox disk hinted: one disk as `wwn`, more as `raid.wwn` (`swraid: 1`); the
 * controller's deviceStringType decides between kernel names and WWNs. A problem is a string.
 */
export async function rootDevices(
  session: RescueSession,
  deviceString: DeviceString,
): Promise<readonly string[] | string> {
  const disks = await session.disks();
  const wwns = disks.map((disk) => disk.wwn).filter((wwn) => wwn !== undefined);
  const [only] = wwns;
  const hints = wwns.length === 1 && only !== undefined ? { wwn: only } : { raid: { wwn: wwns } };
  const type: DeviceStringType = deviceString === 'name' ? '' : deviceString;
  const devices = rootDeviceArgs(hints, { deviceStringType: type, swraid: wwns.length > 1 ? 1 : 0 }, disks);
  return isDeviceProblem(devices) ? devices.message : devices;
}
