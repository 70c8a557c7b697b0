import { HetznerBareMetalHostConditions as C, type ReasonPairs } from '../../api/conditions/index.js';
import {
  applyConditionChanges as applyAny,
  conditionFalse as falseAny,
  conditionTrue as trueAny,
  conditionUnknown as unknownAny,
  lookupReasonStrings,
  pair,
  reasonRefs,
  type ConditionChangeOf,
  type Conditions,
  type ConditionSeverity,
  type ReasonStrings,
} from '../state-machine/index.js';

const [p1, p2] = [C.ProvisionSucceeded.v1beta1.reasons, C.ProvisionSucceeded.v1beta2.reasons];

/**
 * The host's condition vocabulary: one entry per (condition, reason) naming the api's v1beta1
 * and v1beta2 strings of HetznerBareMetalHost (api/conditions/hetzner-bare-metal-host.ts), so
 * handlers state a condition once and the kube side writes both formats. CAPH's host has one
 * condition of its own, ProvisionSucceeded (plus the Ready summary the kube side derives).
 */
export const hostConditionReasons = {
  ProvisionSucceeded: {
    Provisioned: pair('', p2.Provisioned),
    /** CAPH's generic "host (<name>) is still provisioning - state …". */
    StillProvisioning: pair(p1.StillProvisioning, p2.Provisioning),
    /** The command runs; the message is output.json's or "custom provisioner running". */
    Provisioning: pair(p1.Provisioning, p2.Provisioning),
    ServerNotFound: pair(p1.ServerNotFound, p2.ServerNotFound),
    ServerHasNoIPv4: pair(p1.ServerHasNoIPv4, p2.ServerHasNoIPv4),
    RescueKeyUnavailable: pair(p1.RescueKeyUnavailable, p2.RescueKeyUnavailable),
    RobotCredentialsInvalid: pair(p1.RobotCredentialsInvalid, p2.RobotCredentialsInvalid),
    RobotRateLimited: pair(p1.RobotRateLimited, p2.RobotRateLimited),
    SSHConnectionRefused: pair(p1.SSHConnectionRefused, p2.SSHConnectionRefused),
    SSHToRescueSystemFailed: pair(p1.SSHToRescueSystemFailed, p2.SSHToRescueSystemFailed),
    RebootTimedOut: pair(p1.RebootTimedOut, p2.RebootTimeoutReached),
    RescueHostKeyChanged: pair(p1.RescueHostKeyChanged, p2.RescueHostKeyChanged),
    ServerClaimedByAnotherHost: pair(p1.ServerClaimedByAnotherHost, p2.ServerClaimedByAnotherHost),
    RescueHostKeyNotFromRobot: pair(p1.RescueHostKeyNotFromRobot, p2.RescueHostKeyNotFromRobot),
    OSHostKeyChanged: pair(p1.OSHostKeyChanged, p2.OSHostKeyChanged),
    NoStorageDeviceFound: pair(p1.NoStorageDeviceFound, p2.NoStorageDeviceFound),
    ImageSpecInvalid: pair(p1.ImageSpecInvalid, p2.ImageSpecInvalid),
    ImageURLCommandNotAccessible: pair(p1.ImageURLCommandNotAccessible, p2.ImageURLCommandNotAccessible),
    ImageURLCommandFailedToStart: pair(p1.ImageURLCommandFailedToStart, p2.ImageURLCommandFailedToStart),
    StartImageURLCommandFailed: pair(p1.StartImageURLCommandFailed, p2.StartImageURLCommandFailed),
    ImageURLCommandStarted: pair(p1.ImageURLCommandStarted, p2.ImageURLCommandStarted),
    ImageURLCommandTimedOut: pair(p1.ImageURLCommandTimedOut, p2.ImageURLCommandTimedOut),
    CustomProvisionerFailed: pair(p1.CustomProvisionerFailed, p2.CustomProvisionerFailed),
  },
} as const satisfies ReasonPairs<typeof C>;

/** Every reason by reference: `hostReasons.ProvisionSucceeded.StillProvisioning`. */
export const hostReasons = reasonRefs(hostConditionReasons);

/** The ProvisionSucceeded reasons by reference: `provisionReasons.ServerNotFound`. */
export const provisionReasons = hostReasons.ProvisionSucceeded;

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
  ProvisionSucceeded: C.ProvisionSucceeded.v1beta1.type,
};
export const hostV1beta2Types: Readonly<Record<HostConditionType, string>> = {
  ProvisionSucceeded: C.ProvisionSucceeded.v1beta2.type,
};

/** CAPH's strings of one reason. */
export function hostReasonStrings(reason: HostConditionReason): ReasonStrings {
  return lookupReasonStrings(hostConditionReasons, reason);
}

/** The ProvisionSucceeded reason named by a key computed elsewhere (a root-device problem). */
export function provision(reason: keyof typeof provisionReasons): HostConditionReason {
  return provisionReasons[reason];
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
    provisionReasons.StillProvisioning,
    `host (${hostName}) is still provisioning - state "${state}"`,
    'Info',
  );
}
