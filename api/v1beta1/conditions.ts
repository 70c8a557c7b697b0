/**
 * Condition types and their reasons, with CAPH's exact strings, grouped per condition type:
 * `V1Beta1Conditions` for `status.conditions` (Cluster API v1beta1 conditions; HetznerBareMetalHost:
 * `spec.status.conditions`) and `V1Beta2Conditions` for `status.v1beta2.conditions` (metav1
 * conditions). Where CAPH's two versions use different reason strings for the same event, both
 * are here under the same key (for example the command-start failure: v1beta1
 * `StartImageURLCommandNoZeroExitCode`, v1beta2 `StartImageURLCommandNonZeroExitCode`).
 */

/** Severity of a False v1beta1 condition. */
export const ConditionSeverity = { Error: 'Error', Warning: 'Warning', Info: 'Info', None: '' } as const;
export type ConditionSeverity = (typeof ConditionSeverity)[keyof typeof ConditionSeverity];

export const ConditionStatus = { True: 'True', False: 'False', Unknown: 'Unknown' } as const;
export type ConditionStatus = (typeof ConditionStatus)[keyof typeof ConditionStatus];

/** The v1beta1 condition types and reasons (HCloudMachine and HetznerBareMetalHost). */
export const V1Beta1Conditions = {
  /** Summary of the other conditions (takes the reason of the most severe one). */
  Ready: { type: 'Ready', reasons: {} },
  BootstrapReady: { type: 'BootstrapReady', reasons: { BootstrapNotReady: 'BootstrapNotReady' } },
  HCloudTokenAvailable: {
    type: 'HCloudTokenAvailable',
    reasons: {
      HetznerSecretUnreachable: 'HetznerSecretUnreachable',
      HCloudCredentialsInvalid: 'HCloudCredentialsInvalid',
    },
  },
  /** False while the Hetzner API answers `rate_limit_exceeded`. */
  HetznerAPIReachable: { type: 'HetznerAPIReachable', reasons: { RateLimitExceeded: 'RateLimitExceeded' } },
  SSHPrivateKeyAvailable: {
    type: 'SSHPrivateKeyAvailable',
    reasons: {
      SSHPrivateKeyNotFound: 'SSHPrivateKeyNotFound',
      SSHPrivateKeySecretRefNotConfigured: 'SSHPrivateKeySecretRefNotConfigured',
      SSHPrivateKeySecretNotFound: 'SSHPrivateKeySecretNotFound',
      SSHPrivateKeyFieldEmpty: 'SSHPrivateKeyFieldEmpty',
    },
  },
  ServerCreateSucceeded: {
    type: 'ServerCreateSucceeded',
    reasons: {
      InstanceHasNonExistingPlacementGroup: 'InstanceHasNonExistingPlacementGroup',
      SSHKeyNotFound: 'SSHKeyNotFound',
      ImageNotFound: 'ImageNotFound',
      ImageAmbiguous: 'ImageAmbiguous',
      ServerTypeNotFound: 'ServerTypeNotFound',
      /** CAPH's value really ends in "Reason". */
      ServerCreateFailed: 'ServerCreateFailedReason',
      ServerCreateFailedIrrecoverableError: 'ServerCreateFailedIrrecoverableError',
      HandleBootStateUnsetTimedOut: 'HandleBootStateUnsetTimedOut',
    },
  },
  /** The boot-state machine: rescue, image-url-command, real OS. */
  ServerProvisioned: {
    type: 'ServerProvisioned',
    reasons: {
      ImageURLCommandNotAccessible: 'ImageURLCommandNotAccessible',
      GetServerImageFailed: 'GetServerImageFailed',
      GetRawBootstrapDataFailed: 'GetRawBootstrapDataFailed',
      ProvisioningServer: 'ProvisioningServer',
      BootStateInitializingTimedOut: 'BootStateInitializingTimedOut',
      ActionIDCreateServerNotSet: 'ActionIDCreateServerNotSet',
      GettingServerCreationStatusFailed: 'GettingServerCreationStatusFailed',
      CreatingServer: 'CreatingServer',
      CreationFailed: 'CreationFailed',
      EnablingRescueSystemFailed: 'EnablingRescueSystemFailed',
      WaitForRescueSystem: 'WaitForRescueSystem',
      EnablingRescueTimedOut: 'EnablingRescueTimedOut',
      ActionIDForEnablingRescueSystemNotSet: 'ActionIDForEnablingRescueSystemNotSet',
      EnablingRescueGetActionFailed: 'EnablingRescueGetActionFailed',
      WaitingForEnablingRescueAction: 'WaitingForEnablingRescueAction',
      EnablingRescueActionFailed: 'EnablingRescueActionFailed',
      EnablingRescueActionDone: 'EnablingRescueActionDone',
      PowerOnServerFailed: 'PowerOnServerFailed',
      BootingToRescue: 'BootingToRescue',
      BootingToRescueTimedOut: 'BootingToRescueTimedOut',
      RetryingSSHConnection: 'RetryingSSHConnection',
      GetHostnameFailed: 'GetHostnameFailed',
      UnexpectedHostname: 'UnexpectedHostname',
      StartImageURLCommandFailed: 'StartImageURLCommandFailed',
      StartImageURLCommandNonZeroExitCode: 'StartImageURLCommandNoZeroExitCode',
      CustomProvisionerRunning: 'CustomProvisionerRunning',
      RunningImageCommandTimedOut: 'RunningImageCommandTimedOut',
      CustomProvisionerFailed: 'CustomProvisionerFailed',
      BootingToRealOS: 'BootingToRealOS',
      BootingToRealOSTimedOut: 'BootingToRealOSTimedOut',
      ServerOff: 'ServerOff',
      ServerOffTimeout: 'ServerOffTimeout',
      ServerStatusUnknown: 'ServerStatusUnknown',
    },
  },
  ServerAvailable: {
    type: 'ServerAvailable',
    reasons: {
      NoHCloudServerFound: 'NoHCloudServerFound',
      ServerTerminating: 'InstanceTerminated',
      NetworkAttachFailed: 'NetworkAttachFailed',
      LoadBalancerAttachFailed: 'LoadBalancerAttachFailed',
      WaitingForAPIServer: 'WaitingForAPIServer',
      Deleting: 'Deleting',
    },
  },
  /** HetznerBareMetalHost (in `spec.status.conditions`). */
  ProvisionSucceeded: {
    type: 'ProvisionSucceeded',
    reasons: {
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
    },
  },
} as const;

/** The v1beta2 (metav1) condition types and reasons (HCloudMachine and HetznerBareMetalHost). */
export const V1Beta2Conditions = {
  /** Summary: HCloudTokenAvailable, HCloudRateLimitExceeded (negative), ServerCreated, ServerProvisioned, ServerAvailable. */
  Ready: { type: 'Ready', reasons: { Ready: 'Ready', NotReady: 'NotReady', ReadyUnknown: 'ReadyUnknown' } },
  HCloudTokenAvailable: {
    type: 'HCloudTokenAvailable',
    reasons: { Available: 'Available', Invalid: 'Invalid', SecretUnreachable: 'SecretUnreachable' },
  },
  /** Negative polarity: True while rate limited. */
  HCloudRateLimitExceeded: { type: 'HCloudRateLimitExceeded', reasons: { Exceeded: 'Exceeded' } },
  ServerCreated: {
    type: 'ServerCreated',
    reasons: {
      Created: 'Created',
      WaitingForBootstrapData: 'WaitingForBootstrapData',
      CreationFailedIrrecoverably: 'CreationFailedIrrecoverably',
      ImageNotFound: 'ImageNotFound',
      ImageAmbiguous: 'ImageAmbiguous',
      ServerTypeNotFound: 'ServerTypeNotFound',
      SSHKeyNotFound: 'SSHKeyNotFound',
      PlacementGroupNotFound: 'PlacementGroupNotFound',
      CreationFailed: 'CreationFailed',
      BootStateUnsetTimedOut: 'BootStateUnsetTimedOut',
    },
  },
  ServerProvisioned: {
    type: 'ServerProvisioned',
    reasons: {
      Provisioned: 'Provisioned',
      Provisioning: 'Provisioning',
      BootStateInitializing: 'BootStateInitializing',
      BootStateInitializingTimedOut: 'BootStateInitializingTimedOut',
      ServerStatusUnknown: 'ServerStatusUnknown',
      ActionIDCreateServerNotSet: 'ActionIDCreateServerNotSet',
      CreatingServer: 'CreatingServer',
      CreationFailed: 'CreationFailed',
      GettingServerCreationStatusFailed: 'GettingServerCreationStatusFailed',
      WaitingForRescueSystem: 'WaitingForRescueSystem',
      EnablingRescueSystemFailed: 'EnablingRescueSystemFailed',
      EnablingRescueTimedOut: 'EnablingRescueTimedOut',
      ActionIDForEnablingRescueSystemNotSet: 'ActionIDForEnablingRescueSystemNotSet',
      EnablingRescueGetActionFailed: 'EnablingRescueGetActionFailed',
      WaitingForEnablingRescueAction: 'WaitingForEnablingRescueAction',
      EnablingRescueActionFailed: 'EnablingRescueActionFailed',
      EnablingRescueActionDone: 'EnablingRescueActionDone',
      GettingSSHPrivateKeyFailed: 'GettingSSHPrivateKeyFailed',
      RetryingSSHConnection: 'RetryingSSHConnection',
      GettingHostnameFailed: 'GettingHostnameFailed',
      UnexpectedHostname: 'UnexpectedHostname',
      BootingToRescue: 'BootingToRescue',
      BootingToRescueTimedOut: 'BootingToRescueTimedOut',
      ImageURLCommandNotAccessible: 'ImageURLCommandNotAccessible',
      StartImageURLCommandFailed: 'StartImageURLCommandFailed',
      StartImageURLCommandNonZeroExitCode: 'StartImageURLCommandNonZeroExitCode',
      RunningImageURLCommandTimedOut: 'RunningImageURLCommandTimedOut',
      ImageURLCommandFailed: 'ImageURLCommandFailed',
      CustomProvisionerRunning: 'CustomProvisionerRunning',
      CustomProvisionerFailed: 'CustomProvisionerFailed',
      BootingToRealOS: 'BootingToRealOS',
      BootingToRealOSTimedOut: 'BootingToRealOSTimedOut',
      GettingServerImageFailed: 'GettingServerImageFailed',
      GettingRawBootstrapDataFailed: 'GettingRawBootstrapDataFailed',
      PoweringOnServerFailed: 'PoweringOnServerFailed',
      ServerOff: 'ServerOff',
      ServerOffTimeoutReached: 'ServerOffTimeoutReached',
    },
  },
  ServerAvailable: {
    type: 'ServerAvailable',
    reasons: {
      Available: 'Available',
      NotFound: 'NotFound',
      BootingToRealOS: 'BootingToRealOS',
      AttachingToNetworkFailed: 'AttachingToNetworkFailed',
      WaitingForAPIServer: 'WaitingForAPIServer',
      AttachingToLoadBalancerFailed: 'AttachingToLoadBalancerFailed',
      Deleting: 'Deleting',
    },
  },
  /** HetznerBareMetalHost (in `spec.status.v1beta2.conditions`). */
  ProvisionSucceeded: {
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
    },
  },
} as const;

type ReasonsOf<T> = T extends { reasons: infer R } ? R[keyof R] : never;

export type V1Beta1ConditionType = (typeof V1Beta1Conditions)[keyof typeof V1Beta1Conditions]['type'];
export type V1Beta2ConditionType = (typeof V1Beta2Conditions)[keyof typeof V1Beta2Conditions]['type'];
/** Every v1beta1 reason of condition type `K`. */
export type V1Beta1Reason<K extends keyof typeof V1Beta1Conditions> = ReasonsOf<
  (typeof V1Beta1Conditions)[K]
>;
/** Every v1beta2 reason of condition type `K`. */
export type V1Beta2Reason<K extends keyof typeof V1Beta2Conditions> = ReasonsOf<
  (typeof V1Beta2Conditions)[K]
>;
