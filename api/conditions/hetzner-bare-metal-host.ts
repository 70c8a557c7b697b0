import type { KindConditions } from './format.js';
import { ReadyCondition } from './shared.js';

/** Reasons CAPH spells the same in both formats, and imageurl's own. */
const bothFormats = {
  Provisioning: 'Provisioning',
  ImageURLCommandTimedOut: 'ImageURLCommandTimedOut',
  CustomProvisionerFailed: 'CustomProvisionerFailed',
  ImageURLCommandMissing: 'ImageURLCommandMissing',
  ImageURLCommandNotAccessible: 'ImageURLCommandNotAccessible',
  ImageURLCommandFailedToStart: 'ImageURLCommandFailedToStart',
  StartImageURLCommandFailed: 'StartImageURLCommandFailed',
  ImageURLCommandStarted: 'ImageURLCommandStarted',
  SSHConnectionRefused: 'SSHConnectionRefused',
  ImageSpecInvalid: 'ImageSpecInvalid',
  NoStorageDeviceFound: 'NoStorageDeviceFound',
  ServerNotFound: 'ServerNotFound',
  ServerHasNoIPv4: 'ServerHasNoIPv4',
  LinuxOnOtherDiskFound: 'LinuxOnOtherDiskFound',
  SSHToRescueSystemFailed: 'SSHToRescueSystemFailed',
  /** imageurl's own: the rescue SSH key Secret cannot be read. */
  RescueKeyUnavailable: 'RescueKeyUnavailable',
  /** imageurl's own. */
  RobotCredentialsInvalid: 'RobotCredentialsInvalid',
  /** imageurl's own. */
  RobotRateLimited: 'RobotRateLimited',
  /** imageurl's own: the rescue system's host key is not the one first seen. */
  RescueHostKeyChanged: 'RescueHostKeyChanged',
  /** imageurl's own: another HetznerBareMetalHost, created earlier, names the same Robot server. */
  ServerClaimedByAnotherHost: 'ServerClaimedByAnotherHost',
  /** imageurl's own: the rescue system presented none of the host keys Robot's activation gave. */
  RescueHostKeyNotFromRobot: 'RescueHostKeyNotFromRobot',
  /** imageurl's own: the installed OS's host key changed within the boot being checked. */
  OSHostKeyChanged: 'OSHostKeyChanged',
} as const;

/**
 * The HetznerBareMetalHost's condition types and reasons, written to `spec.status.conditions`
 * and `spec.status.v1beta2.conditions`; CAPH's exact strings (`api/v1beta1/conditions_const.go`,
 * `api/v1beta2/conditions_const.go`) unless marked as imageurl's own.
 */
export const HetznerBareMetalHostConditions = {
  Ready: ReadyCondition,
  ProvisionSucceeded: {
    v1beta1: {
      type: 'ProvisionSucceeded',
      reasons: {
        ...bothFormats,
        /** CAPH's generic "host (<name>) is still provisioning - state …". */
        StillProvisioning: 'StillProvisioning',
        RescueSystemUnavailable: 'RescueSystemUnavailable',
        ImageDownloadFailed: 'ImageDownloadFailed',
        CloudInitNotInstalled: 'CloudInitNotInstalled',
        WipeDiskFailed: 'WipeDiskFailed',
        RebootTimedOut: 'RebootTimedOut',
        CheckDiskFailed: 'CheckDiskFailed',
      },
    },
    v1beta2: {
      type: 'ProvisionSucceeded',
      reasons: {
        ...bothFormats,
        Provisioned: 'Provisioned',
        DownloadingImageFailed: 'DownloadingImageFailed',
        WipingDiskFailed: 'WipingDiskFailed',
        RebootTimeoutReached: 'RebootTimeoutReached',
        CheckingDiskFailed: 'CheckingDiskFailed',
      },
    },
  },
} as const satisfies KindConditions;
