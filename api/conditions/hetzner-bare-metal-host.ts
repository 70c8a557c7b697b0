import type { KindConditions } from './format.js';
import { ReadyCondition } from './shared.js';

/** imageurl's own host reasons (not in CAPH), the same string in both formats. */
const ourHostReasons = {
  /** The rescue SSH key Secret cannot be read. */
  RescueKeyUnavailable: 'RescueKeyUnavailable',
  RobotCredentialsInvalid: 'RobotCredentialsInvalid',
  RobotRateLimited: 'RobotRateLimited',
  /** The rescue system's host key is not the one first seen. */
  RescueHostKeyChanged: 'RescueHostKeyChanged',
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
        /** CAPH's generic "host (<name>) is still provisioning - state …". */
        StillProvisioning: 'StillProvisioning',
        Provisioning: 'Provisioning',
        ImageURLCommandTimedOut: 'ImageURLCommandTimedOut',
        CustomProvisionerFailed: 'CustomProvisionerFailed',
        ImageURLCommandMissing: 'ImageURLCommandMissing',
        ImageURLCommandNotAccessible: 'ImageURLCommandNotAccessible',
        ImageURLCommandFailedToStart: 'ImageURLCommandFailedToStart',
        StartImageURLCommandFailed: 'StartImageURLCommandFailed',
        ImageURLCommandStarted: 'ImageURLCommandStarted',
        SSHConnectionRefused: 'SSHConnectionRefused',
        RescueSystemUnavailable: 'RescueSystemUnavailable',
        ImageSpecInvalid: 'ImageSpecInvalid',
        ImageDownloadFailed: 'ImageDownloadFailed',
        NoStorageDeviceFound: 'NoStorageDeviceFound',
        CloudInitNotInstalled: 'CloudInitNotInstalled',
        ServerNotFound: 'ServerNotFound',
        ServerHasNoIPv4: 'ServerHasNoIPv4',
        LinuxOnOtherDiskFound: 'LinuxOnOtherDiskFound',
        WipeDiskFailed: 'WipeDiskFailed',
        SSHToRescueSystemFailed: 'SSHToRescueSystemFailed',
        RebootTimedOut: 'RebootTimedOut',
        CheckDiskFailed: 'CheckDiskFailed',
        ...ourHostReasons,
      },
    },
    v1beta2: {
      type: 'ProvisionSucceeded',
      reasons: {
        Provisioned: 'Provisioned',
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
        DownloadingImageFailed: 'DownloadingImageFailed',
        NoStorageDeviceFound: 'NoStorageDeviceFound',
        ServerNotFound: 'ServerNotFound',
        ServerHasNoIPv4: 'ServerHasNoIPv4',
        LinuxOnOtherDiskFound: 'LinuxOnOtherDiskFound',
        WipingDiskFailed: 'WipingDiskFailed',
        SSHToRescueSystemFailed: 'SSHToRescueSystemFailed',
        RebootTimeoutReached: 'RebootTimeoutReached',
        CheckingDiskFailed: 'CheckingDiskFailed',
        ...ourHostReasons,
      },
    },
  },
} as const satisfies KindConditions;
