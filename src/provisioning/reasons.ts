import { lookupReasonStrings, ours, pair, same, type ReasonStrings } from '../state-machine/index.js';

/**
 * The condition vocabulary of the core: one entry per (condition, reason), each with CAPH's exact
 * v1beta1 and v1beta2 strings, so handlers state a condition once and the kube side writes both
 * formats from the same entry (no dual writes in handlers). Condition types are named as in
 * v1beta2; `v1beta1Types` maps them. A unit test checks every string against api/v1beta1.
 * Reasons marked `ours` do not exist in CAPH.
 */

export const conditionReasons = {
  /** v1beta1 only; v1beta2 says the same with ServerCreated/WaitingForBootstrapData. */
  BootstrapReady: {
    Ready: pair('', 'Ready'),
    BootstrapNotReady: same('BootstrapNotReady'),
  },
  HCloudTokenAvailable: {
    Available: pair('', 'Available'),
    Invalid: pair('HCloudCredentialsInvalid', 'Invalid'),
  },
  /** Negative polarity (True while rate limited); v1beta1 writes HetznerAPIReachable inverted. */
  HCloudRateLimitExceeded: {
    Exceeded: pair('RateLimitExceeded', 'Exceeded'),
    /** CAPH removes the v1beta2 condition once the wait is over; we set it False instead. */
    NotExceeded: { ...pair('', 'NotExceeded'), ours: true },
  },
  SSHPrivateKeyAvailable: {
    Available: pair('', 'Available'),
    SSHPrivateKeySecretRefNotConfigured: same('SSHPrivateKeySecretRefNotConfigured'),
    SSHPrivateKeySecretNotFound: same('SSHPrivateKeySecretNotFound'),
    SSHPrivateKeyFieldEmpty: same('SSHPrivateKeyFieldEmpty'),
  },
  ServerCreated: {
    Created: pair('', 'Created'),
    WaitingForBootstrapData: pair(null, 'WaitingForBootstrapData'),
    CreationFailed: pair('ServerCreateFailedReason', 'CreationFailed'),
    CreationFailedIrrecoverably: pair('ServerCreateFailedIrrecoverableError', 'CreationFailedIrrecoverably'),
    BootStateUnsetTimedOut: pair('HandleBootStateUnsetTimedOut', 'BootStateUnsetTimedOut'),
  },
  ServerProvisioned: {
    Provisioned: pair('', 'Provisioned'),
    ImageURLCommandNotAccessible: same('ImageURLCommandNotAccessible'),
    Provisioning: pair('ProvisioningServer', 'Provisioning'),
    BootStateInitializingTimedOut: same('BootStateInitializingTimedOut'),
    ActionIDCreateServerNotSet: same('ActionIDCreateServerNotSet'),
    GettingServerCreationStatusFailed: same('GettingServerCreationStatusFailed'),
    CreatingServer: same('CreatingServer'),
    CreationFailed: same('CreationFailed'),
    EnablingRescueSystemFailed: same('EnablingRescueSystemFailed'),
    WaitingForRescueSystem: pair('WaitForRescueSystem', 'WaitingForRescueSystem'),
    EnablingRescueTimedOut: same('EnablingRescueTimedOut'),
    ActionIDForEnablingRescueSystemNotSet: same('ActionIDForEnablingRescueSystemNotSet'),
    EnablingRescueGetActionFailed: same('EnablingRescueGetActionFailed'),
    WaitingForEnablingRescueAction: same('WaitingForEnablingRescueAction'),
    EnablingRescueActionFailed: same('EnablingRescueActionFailed'),
    EnablingRescueActionDone: same('EnablingRescueActionDone'),
    PoweringOnServerFailed: pair('PowerOnServerFailed', 'PoweringOnServerFailed'),
    BootingToRescue: same('BootingToRescue'),
    BootingToRescueTimedOut: same('BootingToRescueTimedOut'),
    RetryingSSHConnection: same('RetryingSSHConnection'),
    GettingHostnameFailed: pair('GetHostnameFailed', 'GettingHostnameFailed'),
    UnexpectedHostname: same('UnexpectedHostname'),
    RescueHostKeyChanged: ours('RescueHostKeyChanged'),
    GettingRawBootstrapDataFailed: pair('GetRawBootstrapDataFailed', 'GettingRawBootstrapDataFailed'),
    StartImageURLCommandFailed: same('StartImageURLCommandFailed'),
    StartImageURLCommandNonZeroExitCode: pair(
      'StartImageURLCommandNoZeroExitCode',
      'StartImageURLCommandNonZeroExitCode',
    ),
    CustomProvisionerRunning: same('CustomProvisionerRunning'),
    RunningImageURLCommandTimedOut: pair('RunningImageCommandTimedOut', 'RunningImageURLCommandTimedOut'),
    CustomProvisionerFailed: same('CustomProvisionerFailed'),
    BootingToRealOS: same('BootingToRealOS'),
    BootingToRealOSTimedOut: same('BootingToRealOSTimedOut'),
    ServerOff: same('ServerOff'),
    ServerOffTimeoutReached: pair('ServerOffTimeout', 'ServerOffTimeoutReached'),
    ServerStatusUnknown: same('ServerStatusUnknown'),
  },
  ServerAvailable: {
    Available: pair('', 'Available'),
    NotFound: pair('NoHCloudServerFound', 'NotFound'),
    Deleting: same('Deleting'),
  },
} as const satisfies Record<string, Record<string, ReasonStrings>>;

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
  BootstrapReady: 'BootstrapReady',
  HCloudTokenAvailable: 'HCloudTokenAvailable',
  HCloudRateLimitExceeded: 'HetznerAPIReachable',
  SSHPrivateKeyAvailable: 'SSHPrivateKeyAvailable',
  ServerCreated: 'ServerCreateSucceeded',
  ServerProvisioned: 'ServerProvisioned',
  ServerAvailable: 'ServerAvailable',
};

/** v1beta2 condition types (`status.v1beta2.conditions`); undefined where v1beta2 has none. */
export const v1beta2Types: Readonly<Record<ConditionType, string | undefined>> = {
  BootstrapReady: undefined,
  HCloudTokenAvailable: 'HCloudTokenAvailable',
  HCloudRateLimitExceeded: 'HCloudRateLimitExceeded',
  SSHPrivateKeyAvailable: undefined,
  ServerCreated: 'ServerCreated',
  ServerProvisioned: 'ServerProvisioned',
  ServerAvailable: 'ServerAvailable',
};

/** CAPH's strings of one reason (v1beta1 is '' for True conditions, which carry no reason there). */
export function reasonStrings(reason: ConditionReason): ReasonStrings {
  return lookupReasonStrings(conditionReasons, reason);
}
