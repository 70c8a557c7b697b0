import { HCloudMachineConditions as C, type ReasonPairs } from '../../api/conditions/index.js';
import { lookupReasonStrings, pair, reasonRefs, type ReasonStrings } from '../state-machine/index.js';

/**
 * The condition vocabulary of the core: one entry per (condition, reason), each naming the api's
 * v1beta1 and v1beta2 strings of HCloudMachine (api/conditions/hcloud-machine.ts), so handlers
 * state a condition once and the kube side writes both formats from the same entry (no dual
 * writes in handlers). Condition types are named as in v1beta2; `v1beta1Types` maps them. A
 * reason of another condition type, or one the api does not declare, is a type error.
 */

const bootstrap = C.BootstrapReady.v1beta1.reasons;
const [token1, token2] = [C.HCloudTokenAvailable.v1beta1.reasons, C.HCloudTokenAvailable.v1beta2.reasons];
const [limit1, limit2] = [
  C.HCloudRateLimitExceeded.v1beta1.reasons,
  C.HCloudRateLimitExceeded.v1beta2.reasons,
];
const privateKey = C.SSHPrivateKeyAvailable.v1beta1.reasons;
const [created1, created2] = [C.ServerCreated.v1beta1.reasons, C.ServerCreated.v1beta2.reasons];
const [boot1, boot2] = [C.ServerProvisioned.v1beta1.reasons, C.ServerProvisioned.v1beta2.reasons];
const [available1, available2] = [C.ServerAvailable.v1beta1.reasons, C.ServerAvailable.v1beta2.reasons];

export const conditionReasons = {
  /** v1beta1 only; v1beta2 says the same with ServerCreated/WaitingForBootstrapData. */
  BootstrapReady: {
    Ready: pair('', ''),
    BootstrapNotReady: pair(bootstrap.BootstrapNotReady, ''),
  },
  HCloudTokenAvailable: {
    Available: pair('', token2.Available),
    Invalid: pair(token1.HCloudCredentialsInvalid, token2.Invalid),
  },
  /** Negative polarity (True while rate limited); v1beta1 writes HetznerAPIReachable inverted. */
  HCloudRateLimitExceeded: {
    Exceeded: pair(limit1.RateLimitExceeded, limit2.Exceeded),
    NotExceeded: pair('', limit2.NotExceeded),
  },
  /** v1beta1 only. */
  SSHPrivateKeyAvailable: {
    Available: pair('', ''),
    SSHPrivateKeySecretRefNotConfigured: pair(privateKey.SSHPrivateKeySecretRefNotConfigured, ''),
    SSHPrivateKeySecretNotFound: pair(privateKey.SSHPrivateKeySecretNotFound, ''),
    SSHPrivateKeyFieldEmpty: pair(privateKey.SSHPrivateKeyFieldEmpty, ''),
  },
  ServerCreated: {
    Created: pair('', created2.Created),
    WaitingForBootstrapData: pair(null, created2.WaitingForBootstrapData),
    CreationFailed: pair(created1.ServerCreateFailed, created2.CreationFailed),
    CreationFailedIrrecoverably: pair(
      created1.ServerCreateFailedIrrecoverableError,
      created2.CreationFailedIrrecoverably,
    ),
    BootStateUnsetTimedOut: pair(created1.HandleBootStateUnsetTimedOut, created2.BootStateUnsetTimedOut),
    ImageNotFound: pair(created1.ImageNotFound, created2.ImageNotFound),
    ImageAmbiguous: pair(created1.ImageAmbiguous, created2.ImageAmbiguous),
    ServerTypeNotFound: pair(created1.ServerTypeNotFound, created2.ServerTypeNotFound),
    PlacementGroupNotFound: pair(
      created1.InstanceHasNonExistingPlacementGroup,
      created2.PlacementGroupNotFound,
    ),
  },
  ServerProvisioned: {
    Provisioned: pair('', boot2.Provisioned),
    ImageURLCommandNotAccessible: pair(
      boot1.ImageURLCommandNotAccessible,
      boot2.ImageURLCommandNotAccessible,
    ),
    Provisioning: pair(boot1.ProvisioningServer, boot2.Provisioning),
    BootStateInitializingTimedOut: pair(
      boot1.BootStateInitializingTimedOut,
      boot2.BootStateInitializingTimedOut,
    ),
    ActionIDCreateServerNotSet: pair(boot1.ActionIDCreateServerNotSet, boot2.ActionIDCreateServerNotSet),
    GettingServerCreationStatusFailed: pair(
      boot1.GettingServerCreationStatusFailed,
      boot2.GettingServerCreationStatusFailed,
    ),
    CreatingServer: pair(boot1.CreatingServer, boot2.CreatingServer),
    CreationFailed: pair(boot1.CreationFailed, boot2.CreationFailed),
    EnablingRescueSystemFailed: pair(boot1.EnablingRescueSystemFailed, boot2.EnablingRescueSystemFailed),
    WaitingForRescueSystem: pair(boot1.WaitForRescueSystem, boot2.WaitingForRescueSystem),
    EnablingRescueTimedOut: pair(boot1.EnablingRescueTimedOut, boot2.EnablingRescueTimedOut),
    ActionIDForEnablingRescueSystemNotSet: pair(
      boot1.ActionIDForEnablingRescueSystemNotSet,
      boot2.ActionIDForEnablingRescueSystemNotSet,
    ),
    EnablingRescueGetActionFailed: pair(
      boot1.EnablingRescueGetActionFailed,
      boot2.EnablingRescueGetActionFailed,
    ),
    WaitingForEnablingRescueAction: pair(
      boot1.WaitingForEnablingRescueAction,
      boot2.WaitingForEnablingRescueAction,
    ),
    EnablingRescueActionFailed: pair(boot1.EnablingRescueActionFailed, boot2.EnablingRescueActionFailed),
    EnablingRescueActionDone: pair(boot1.EnablingRescueActionDone, boot2.EnablingRescueActionDone),
    PoweringOnServerFailed: pair(boot1.PowerOnServerFailed, boot2.PoweringOnServerFailed),
    BootingToRescue: pair(boot1.BootingToRescue, boot2.BootingToRescue),
    BootingToRescueTimedOut: pair(boot1.BootingToRescueTimedOut, boot2.BootingToRescueTimedOut),
    RetryingSSHConnection: pair(boot1.RetryingSSHConnection, boot2.RetryingSSHConnection),
    GettingHostnameFailed: pair(boot1.GetHostnameFailed, boot2.GettingHostnameFailed),
    UnexpectedHostname: pair(boot1.UnexpectedHostname, boot2.UnexpectedHostname),
    RescueHostKeyChanged: pair(boot1.RescueHostKeyChanged, boot2.RescueHostKeyChanged),
    GettingRawBootstrapDataFailed: pair(boot1.GetRawBootstrapDataFailed, boot2.GettingRawBootstrapDataFailed),
    StartImageURLCommandFailed: pair(boot1.StartImageURLCommandFailed, boot2.StartImageURLCommandFailed),
    StartImageURLCommandNonZeroExitCode: pair(
      boot1.StartImageURLCommandNonZeroExitCode,
      boot2.StartImageURLCommandNonZeroExitCode,
    ),
    CustomProvisionerRunning: pair(boot1.CustomProvisionerRunning, boot2.CustomProvisionerRunning),
    RunningImageURLCommandTimedOut: pair(
      boot1.RunningImageCommandTimedOut,
      boot2.RunningImageURLCommandTimedOut,
    ),
    CustomProvisionerFailed: pair(boot1.CustomProvisionerFailed, boot2.CustomProvisionerFailed),
    BootingToRealOS: pair(boot1.BootingToRealOS, boot2.BootingToRealOS),
    BootingToRealOSTimedOut: pair(boot1.BootingToRealOSTimedOut, boot2.BootingToRealOSTimedOut),
    InstalledOSNotBooted: pair(boot1.InstalledOSNotBooted, boot2.InstalledOSNotBooted),
    InstalledOSSilent: pair(boot1.InstalledOSSilent, boot2.InstalledOSSilent),
    ServerOff: pair(boot1.ServerOff, boot2.ServerOff),
    ServerOffTimeoutReached: pair(boot1.ServerOffTimeout, boot2.ServerOffTimeoutReached),
    ServerStatusUnknown: pair(boot1.ServerStatusUnknown, boot2.ServerStatusUnknown),
  },
  ServerAvailable: {
    Available: pair('', available2.Available),
    NotFound: pair(available1.NoHCloudServerFound, available2.NotFound),
    Deleting: pair(available1.Deleting, available2.Deleting),
    ServerNotOwned: pair(available1.ServerNotOwned, available2.ServerNotOwned),
    ServerOwnershipVerified: pair(available1.ServerOwnershipVerified, available2.ServerOwnershipVerified),
  },
} as const satisfies ReasonPairs<typeof C>;

/** Every reason by reference: `hcloudReasons.ServerProvisioned.CreatingServer`. */
export const hcloudReasons = reasonRefs(conditionReasons);

export type ConditionType = keyof typeof conditionReasons;
export type ReasonOf<T extends ConditionType> = keyof (typeof conditionReasons)[T] & string;

/** A reason together with the condition it belongs to. */
export type ConditionReason = {
  [T in ConditionType]: { readonly type: T; readonly reason: ReasonOf<T> };
}[ConditionType];

/**
 * v1beta1 condition types (`status.conditions`); undefined where v1beta1 has no such condition.
 * HCloudRateLimitExceeded maps to HetznerAPIReachable with the status inverted.
 */
export const v1beta1Types: Readonly<Record<ConditionType, string>> = {
  BootstrapReady: C.BootstrapReady.v1beta1.type,
  HCloudTokenAvailable: C.HCloudTokenAvailable.v1beta1.type,
  HCloudRateLimitExceeded: C.HCloudRateLimitExceeded.v1beta1.type,
  SSHPrivateKeyAvailable: C.SSHPrivateKeyAvailable.v1beta1.type,
  ServerCreated: C.ServerCreated.v1beta1.type,
  ServerProvisioned: C.ServerProvisioned.v1beta1.type,
  ServerAvailable: C.ServerAvailable.v1beta1.type,
};

/** v1beta2 condition types (`status.v1beta2.conditions`); undefined where v1beta2 has none. */
export const v1beta2Types: Readonly<Record<ConditionType, string | undefined>> = {
  BootstrapReady: undefined,
  HCloudTokenAvailable: C.HCloudTokenAvailable.v1beta2.type,
  HCloudRateLimitExceeded: C.HCloudRateLimitExceeded.v1beta2.type,
  SSHPrivateKeyAvailable: undefined,
  ServerCreated: C.ServerCreated.v1beta2.type,
  ServerProvisioned: C.ServerProvisioned.v1beta2.type,
  ServerAvailable: C.ServerAvailable.v1beta2.type,
};

/** CAPH's strings of one reason (v1beta1 is '' for True conditions, which carry no reason there). */
export function reasonStrings(reason: ConditionReason): ReasonStrings {
  return lookupReasonStrings(conditionReasons, reason);
}
