import { V1Beta1Conditions, V1Beta2Conditions } from '../../../api/v1beta1/conditions.js';

/**
 * One finding of a reconcile, rendered later as a v1beta1 condition (`status.conditions`) and,
 * when `v2` is set, a v1beta2 one (`status.v1beta2.conditions`). Condition types and reasons are
 * CAPH's strings; the two imageurl additions are marked where they are declared below.
 */
export interface Check {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  /** v1beta1 reason; CAPI leaves it out on True conditions. */
  readonly reason?: string;
  readonly message?: string;
  readonly severity?: 'Error' | 'Warning' | 'Info';
  /** Whether the check is part of `status.ready` and the Ready summary. */
  readonly gatesReady: boolean;
  /** The v1beta2 form, if CAPH has one: type, status (polarity may differ) and reason. */
  readonly v2?: {
    readonly type: string;
    readonly status: 'True' | 'False' | 'Unknown';
    readonly reason: string;
  };
}

const token = V1Beta1Conditions.HCloudTokenAvailable;
const tokenV2 = V1Beta2Conditions.HCloudTokenAvailable;
const privateKey = V1Beta1Conditions.SSHPrivateKeyAvailable;

/** The HetznerCluster condition types imageurl sets, in the Ready summary's priority order. */
export const ConditionTypes = {
  HCloudTokenAvailable: token.type,
  HetznerAPIReachable: V1Beta1Conditions.HetznerAPIReachable.type,
  /** imageurl addition: CAPH checks the names only when it creates a server. */
  HCloudSSHKeysAvailable: 'HCloudSSHKeysAvailable',
  SSHPrivateKeyAvailable: privateKey.type,
  /** CAPH sets it on HetznerBareMetalHosts; imageurl also on the cluster, once bare metal is used. */
  RobotCredentialsAvailable: 'RobotCredentialsAvailable',
  ControlPlaneEndpointSet: 'ControlPlaneEndpointSet',
} as const;

/** `v2Type` null: no v1beta2 form. */
const available = (type: string, v2Type: string | null = type): Check => ({
  type,
  status: 'True',
  gatesReady: true,
  ...(v2Type === null ? {} : { v2: { type: v2Type, status: 'True', reason: 'Available' } }),
});

const failed = (
  type: string,
  reasons: { readonly v1: string; readonly v2: string | undefined },
  message: string,
  severity: Check['severity'] = 'Error',
): Check => ({
  type,
  status: 'False',
  reason: reasons.v1,
  message,
  severity,
  gatesReady: true,
  ...(reasons.v2 === undefined ? {} : { v2: { type, status: 'False', reason: reasons.v2 } }),
});

export const checks = {
  tokenAvailable: (): Check => available(token.type),
  secretUnreachable: (message: string): Check =>
    failed(
      token.type,
      { v1: token.reasons.HetznerSecretUnreachable, v2: tokenV2.reasons.SecretUnreachable },
      message,
    ),
  tokenInvalid: (message: string): Check =>
    failed(token.type, { v1: token.reasons.HCloudCredentialsInvalid, v2: tokenV2.reasons.Invalid }, message),

  /** v1beta2 has no such type; rate limiting shows as HCloudRateLimitExceeded (negative polarity). */
  apiReachable: (): Check => available(ConditionTypes.HetznerAPIReachable, null),
  rateLimited: (message: string): Check => ({
    ...failed(
      ConditionTypes.HetznerAPIReachable,
      { v1: V1Beta1Conditions.HetznerAPIReachable.reasons.RateLimitExceeded, v2: undefined },
      message,
      'Warning',
    ),
    v2: {
      type: V1Beta2Conditions.HCloudRateLimitExceeded.type,
      status: 'True',
      reason: V1Beta2Conditions.HCloudRateLimitExceeded.reasons.Exceeded,
    },
  }),

  sshKeysAvailable: (): Check => available(ConditionTypes.HCloudSSHKeysAvailable),
  sshKeysNotFound: (message: string): Check =>
    failed(ConditionTypes.HCloudSSHKeysAvailable, { v1: 'SSHKeyNotFound', v2: 'SSHKeyNotFound' }, message),
  /** Reasons: WaitingForHCloudToken, WaitingForRateLimit, HetznerAPIUnavailable. */
  sshKeysUnchecked: (message: string, reason = 'WaitingForHCloudToken'): Check => ({
    type: ConditionTypes.HCloudSSHKeysAvailable,
    status: 'Unknown',
    reason,
    message,
    gatesReady: true,
    v2: { type: ConditionTypes.HCloudSSHKeysAvailable, status: 'Unknown', reason },
  }),

  privateKeyAvailable: (): Check => available(privateKey.type),
  privateKeySecretNotFound: (message: string): Check => {
    const reason = privateKey.reasons.SSHPrivateKeySecretNotFound;
    return failed(privateKey.type, { v1: reason, v2: reason }, message);
  },
  privateKeyFieldEmpty: (message: string): Check => {
    const reason = privateKey.reasons.SSHPrivateKeyFieldEmpty;
    return failed(privateKey.type, { v1: reason, v2: reason }, message);
  },

  robotCredentialsAvailable: (): Check => available(ConditionTypes.RobotCredentialsAvailable),
  robotCredentialsInvalid: (message: string): Check =>
    failed(
      ConditionTypes.RobotCredentialsAvailable,
      { v1: 'RobotCredentialsInvalid', v2: 'Invalid' },
      message,
    ),

  /** Reported, never gating: see README.md (load balancers are not created). */
  endpointSet: (): Check => ({
    type: ConditionTypes.ControlPlaneEndpointSet,
    status: 'True',
    gatesReady: false,
    v2: { type: ConditionTypes.ControlPlaneEndpointSet, status: 'True', reason: 'Set' },
  }),
  endpointNotSet: (message: string): Check => ({
    ...failed(
      ConditionTypes.ControlPlaneEndpointSet,
      { v1: 'ControlPlaneEndpointNotSet', v2: 'NotSet' },
      message,
      'Warning',
    ),
    gatesReady: false,
  }),
};
