import type { KindConditions } from './format.js';
import {
  BootstrapReadyCondition,
  HCloudRateLimitExceededCondition,
  HCloudTokenAvailableCondition,
  ReadyCondition,
  SSHPrivateKeyAvailableCondition,
} from './shared.js';

/** ServerProvisioned reasons CAPH spells the same in both formats, and imageurl's own. */
const provisionedBoth = {
  ImageURLCommandNotAccessible: 'ImageURLCommandNotAccessible',
  BootStateInitializingTimedOut: 'BootStateInitializingTimedOut',
  ActionIDCreateServerNotSet: 'ActionIDCreateServerNotSet',
  GettingServerCreationStatusFailed: 'GettingServerCreationStatusFailed',
  CreatingServer: 'CreatingServer',
  CreationFailed: 'CreationFailed',
  EnablingRescueSystemFailed: 'EnablingRescueSystemFailed',
  EnablingRescueTimedOut: 'EnablingRescueTimedOut',
  ActionIDForEnablingRescueSystemNotSet: 'ActionIDForEnablingRescueSystemNotSet',
  EnablingRescueGetActionFailed: 'EnablingRescueGetActionFailed',
  WaitingForEnablingRescueAction: 'WaitingForEnablingRescueAction',
  EnablingRescueActionFailed: 'EnablingRescueActionFailed',
  EnablingRescueActionDone: 'EnablingRescueActionDone',
  BootingToRescue: 'BootingToRescue',
  BootingToRescueTimedOut: 'BootingToRescueTimedOut',
  RetryingSSHConnection: 'RetryingSSHConnection',
  UnexpectedHostname: 'UnexpectedHostname',
  /** imageurl's own: the rescue system's host key is not the one first seen. */
  RescueHostKeyChanged: 'RescueHostKeyChanged',
  StartImageURLCommandFailed: 'StartImageURLCommandFailed',
  CustomProvisionerRunning: 'CustomProvisionerRunning',
  CustomProvisionerFailed: 'CustomProvisionerFailed',
  BootingToRealOS: 'BootingToRealOS',
  BootingToRealOSTimedOut: 'BootingToRealOSTimedOut',
  /** imageurl's own: after leaving rescue, the rescue system's host key answered again (the disk did not boot). */
  InstalledOSNotBooted: 'InstalledOSNotBooted',
  /** imageurl's own: after leaving rescue, nothing answered on the SSH port within the budget. */
  InstalledOSSilent: 'InstalledOSSilent',
  ServerOff: 'ServerOff',
  ServerStatusUnknown: 'ServerStatusUnknown',
} as const;

/** ServerCreated reasons CAPH spells the same in both formats. */
const createdBoth = {
  SSHKeyNotFound: 'SSHKeyNotFound',
  ImageNotFound: 'ImageNotFound',
  ImageAmbiguous: 'ImageAmbiguous',
  ServerTypeNotFound: 'ServerTypeNotFound',
} as const;

/**
 * The HCloudMachine's condition types and reasons, CAPH's exact strings
 * (`api/v1beta1/conditions_const.go`, `api/v1beta2/conditions_const.go`) unless marked as
 * imageurl's own. Where CAPH's formats spell an event differently, each keeps its own string,
 * for example the command-start failure: v1beta1 `StartImageURLCommandNoZeroExitCode`, v1beta2
 * `StartImageURLCommandNonZeroExitCode`.
 */
export const HCloudMachineConditions = {
  Ready: ReadyCondition,
  BootstrapReady: BootstrapReadyCondition,
  HCloudTokenAvailable: HCloudTokenAvailableCondition,
  HCloudRateLimitExceeded: HCloudRateLimitExceededCondition,
  SSHPrivateKeyAvailable: { v1beta1: SSHPrivateKeyAvailableCondition.v1beta1 },
  ServerCreated: {
    v1beta1: {
      type: 'ServerCreateSucceeded',
      reasons: {
        ...createdBoth,
        InstanceHasNonExistingPlacementGroup: 'InstanceHasNonExistingPlacementGroup',
        /** CAPH's value really ends in "Reason". */
        ServerCreateFailed: 'ServerCreateFailedReason',
        ServerCreateFailedIrrecoverableError: 'ServerCreateFailedIrrecoverableError',
        HandleBootStateUnsetTimedOut: 'HandleBootStateUnsetTimedOut',
      },
    },
    v1beta2: {
      type: 'ServerCreated',
      reasons: {
        ...createdBoth,
        Created: 'Created',
        WaitingForBootstrapData: 'WaitingForBootstrapData',
        CreationFailedIrrecoverably: 'CreationFailedIrrecoverably',
        PlacementGroupNotFound: 'PlacementGroupNotFound',
        CreationFailed: 'CreationFailed',
        BootStateUnsetTimedOut: 'BootStateUnsetTimedOut',
      },
    },
  },
  /** The boot-state machine: rescue, image-url-command, real OS. */
  ServerProvisioned: {
    v1beta1: {
      type: 'ServerProvisioned',
      reasons: {
        ...provisionedBoth,
        GetServerImageFailed: 'GetServerImageFailed',
        GetRawBootstrapDataFailed: 'GetRawBootstrapDataFailed',
        ProvisioningServer: 'ProvisioningServer',
        WaitForRescueSystem: 'WaitForRescueSystem',
        PowerOnServerFailed: 'PowerOnServerFailed',
        GetHostnameFailed: 'GetHostnameFailed',
        StartImageURLCommandNonZeroExitCode: 'StartImageURLCommandNoZeroExitCode',
        RunningImageCommandTimedOut: 'RunningImageCommandTimedOut',
        ServerOffTimeout: 'ServerOffTimeout',
      },
    },
    v1beta2: {
      type: 'ServerProvisioned',
      reasons: {
        ...provisionedBoth,
        Provisioned: 'Provisioned',
        Provisioning: 'Provisioning',
        BootStateInitializing: 'BootStateInitializing',
        WaitingForRescueSystem: 'WaitingForRescueSystem',
        GettingSSHPrivateKeyFailed: 'GettingSSHPrivateKeyFailed',
        GettingHostnameFailed: 'GettingHostnameFailed',
        StartImageURLCommandNonZeroExitCode: 'StartImageURLCommandNonZeroExitCode',
        RunningImageURLCommandTimedOut: 'RunningImageURLCommandTimedOut',
        ImageURLCommandFailed: 'ImageURLCommandFailed',
        GettingServerImageFailed: 'GettingServerImageFailed',
        GettingRawBootstrapDataFailed: 'GettingRawBootstrapDataFailed',
        PoweringOnServerFailed: 'PoweringOnServerFailed',
        ServerOffTimeoutReached: 'ServerOffTimeoutReached',
      },
    },
  },
  ServerAvailable: {
    v1beta1: {
      type: 'ServerAvailable',
      reasons: {
        NoHCloudServerFound: 'NoHCloudServerFound',
        ServerTerminating: 'InstanceTerminated',
        NetworkAttachFailed: 'NetworkAttachFailed',
        LoadBalancerAttachFailed: 'LoadBalancerAttachFailed',
        WaitingForAPIServer: 'WaitingForAPIServer',
        Deleting: 'Deleting',
        /** imageurl's own: the server providerID names was not created for this machine. */
        ServerNotOwned: 'ServerNotOwned',
        /** imageurl's own: a server found not to be this machine's is now (its labels were fixed). */
        ServerOwnershipVerified: 'ServerOwnershipVerified',
      },
    },
    v1beta2: {
      type: 'ServerAvailable',
      reasons: {
        Available: 'Available',
        NotFound: 'NotFound',
        BootingToRealOS: 'BootingToRealOS',
        AttachingToNetworkFailed: 'AttachingToNetworkFailed',
        WaitingForAPIServer: 'WaitingForAPIServer',
        AttachingToLoadBalancerFailed: 'AttachingToLoadBalancerFailed',
        Deleting: 'Deleting',
        /** imageurl's own: the server providerID names was not created for this machine. */
        ServerNotOwned: 'ServerNotOwned',
        /** imageurl's own: a server found not to be this machine's is now (its labels were fixed). */
        ServerOwnershipVerified: 'ServerOwnershipVerified',
      },
    },
  },
} as const satisfies KindConditions;
