import {
  applyConditionChanges as applyAny,
  conditionFalse as falseAny,
  conditionTrue as trueAny,
  conditionUnknown as unknownAny,
  lookupReasonStrings,
  ours,
  pair,
  same,
  type ConditionChangeOf,
  type Conditions,
  type ConditionSeverity,
  type ReasonStrings,
} from '../state-machine/index.js';

/**
 * The host's condition vocabulary: one entry per (condition, reason) with CAPH's exact v1beta1
 * and v1beta2 strings (api/v1beta1/conditions.ts, checked by a unit test), so handlers state a
 * condition once and the kube side writes both formats. CAPH's host has one condition of its
 * own, ProvisionSucceeded (plus the Ready summary the kube side derives). Reasons marked `ours`
 * do not exist in CAPH.
 */
export const hostConditionReasons = {
  ProvisionSucceeded: {
    Provisioned: pair('', 'Provisioned'),
    /** CAPH's generic "host (<name>) is still provisioning - state …". */
    StillProvisioning: pair('StillProvisioning', 'Provisioning'),
    /** The command runs; the message is output.json's or "custom provisioner running". */
    Provisioning: same('Provisioning'),
    ServerNotFound: same('ServerNotFound'),
    ServerHasNoIPv4: same('ServerHasNoIPv4'),
    RescueKeyUnavailable: ours('RescueKeyUnavailable'),
    RobotCredentialsInvalid: ours('RobotCredentialsInvalid'),
    RobotRateLimited: ours('RobotRateLimited'),
    SSHConnectionRefused: same('SSHConnectionRefused'),
    SSHToRescueSystemFailed: same('SSHToRescueSystemFailed'),
    RebootTimedOut: pair('RebootTimedOut', 'RebootTimeoutReached'),
    RescueHostKeyChanged: ours('RescueHostKeyChanged'),
    NoStorageDeviceFound: same('NoStorageDeviceFound'),
    ImageSpecInvalid: same('ImageSpecInvalid'),
    ImageURLCommandNotAccessible: same('ImageURLCommandNotAccessible'),
    ImageURLCommandFailedToStart: same('ImageURLCommandFailedToStart'),
    StartImageURLCommandFailed: same('StartImageURLCommandFailed'),
    ImageURLCommandStarted: same('ImageURLCommandStarted'),
    ImageURLCommandTimedOut: same('ImageURLCommandTimedOut'),
    CustomProvisionerFailed: same('CustomProvisionerFailed'),
  },
} as const satisfies Record<string, Record<string, ReasonStrings>>;

export type HostConditionType = keyof typeof hostConditionReasons;

/** A reason together with the condition it belongs to. */
export type HostConditionReason = {
  [T in HostConditionType]: {
    readonly type: T;
    readonly reason: keyof (typeof hostConditionReasons)[T] & string;
  };
}[HostConditionType];

export type HostConditions = Conditions<HostConditionType>;
export type HostConditionChange = ConditionChangeOf<HostConditionReason>;

/** The host's condition types in CAPH's two formats (both `ProvisionSucceeded`). */
export const hostV1beta1Types: Readonly<Record<HostConditionType, string>> = {
  ProvisionSucceeded: 'ProvisionSucceeded',
};
export const hostV1beta2Types: Readonly<Record<HostConditionType, string>> = {
  ProvisionSucceeded: 'ProvisionSucceeded',
};

/** CAPH's strings of one reason. */
export function hostReasonStrings(reason: HostConditionReason): ReasonStrings {
  return lookupReasonStrings(hostConditionReasons, reason);
}

/** The ProvisionSucceeded reason `reason`. */
export function provision(
  reason: keyof (typeof hostConditionReasons)['ProvisionSucceeded'],
): HostConditionReason {
  return { type: 'ProvisionSucceeded', reason };
}

export const hostConditionTrue: (reason: HostConditionReason, message?: string) => HostConditionChange =
  trueAny;
export const hostConditionFalse: (
  reason: HostConditionReason,
  message: string,
  severity?: ConditionSeverity,
) => HostConditionChange = falseAny;
export const hostConditionUnknown: (reason: HostConditionReason, message: string) => HostConditionChange =
  unknownAny;
export const applyHostConditionChanges: (
  conditions: HostConditions,
  changes: readonly HostConditionChange[],
  now: Date,
) => HostConditions = applyAny;

/** CAPH's generic message while a host provisions. */
export function stillProvisioning(hostName: string, state: string): HostConditionChange {
  return hostConditionFalse(
    provision('StillProvisioning'),
    `host (${hostName}) is still provisioning - state "${state}"`,
    'Info',
  );
}
