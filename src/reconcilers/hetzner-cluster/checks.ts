import { HetznerClusterConditions as C } from '../../../api/conditions/index.js';

/**
 * One finding of a reconcile, rendered later as a v1beta1 condition (`status.conditions`) and,
 * when `v2` is set, a v1beta2 one (`status.v1beta2.conditions`). Condition types and reasons are
 * those of api/conditions/hetzner-cluster.ts.
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

const token = C.HCloudTokenAvailable;
const rateLimit = C.HCloudRateLimitExceeded;
const sshKeys = C.HCloudSSHKeysAvailable;
const privateKey = C.SSHPrivateKeyAvailable;
const robot = C.RobotCredentialsAvailable;
const endpoint = C.ControlPlaneEndpointSet;
const registry = C.OCIRegistryCredentialsAvailable;

/** The HetznerCluster condition types imageurl sets, in the Ready summary's priority order. */
export const ConditionTypes = {
  HCloudTokenAvailable: token.v1beta1.type,
  HetznerAPIReachable: rateLimit.v1beta1.type,
  HCloudSSHKeysAvailable: sshKeys.v1beta1.type,
  SSHPrivateKeyAvailable: privateKey.v1beta1.type,
  RobotCredentialsAvailable: robot.v1beta1.type,
  OCIRegistryCredentialsAvailable: registry.v1beta1.type,
  NetworkReady: C.NetworkReady.v1beta1.type,
  LoadBalancerReady: C.LoadBalancerReady.v1beta1.type,
  PlacementGroupsSynced: C.PlacementGroupsSynced.v1beta1.type,
  ControlPlaneEndpointSet: endpoint.v1beta1.type,
} as const;

/** A condition type whose v1beta2 form, if any, says Available when True. */
interface Availability {
  readonly v1beta1: { readonly type: string };
  readonly v1beta2?: { readonly type: string; readonly reasons: { readonly Available: string } };
}

const available = ({ v1beta1, v1beta2 }: Availability): Check => ({
  type: v1beta1.type,
  status: 'True',
  gatesReady: true,
  ...(v1beta2 ? { v2: { type: v1beta2.type, status: 'True', reason: v1beta2.reasons.Available } } : {}),
});

/** Why the SSH key names could not be checked (Unknown). */
type SSHKeysUnchecked = Exclude<keyof typeof sshKeys.v1beta1.reasons, 'SSHKeyNotFound'>;

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
  tokenAvailable: (): Check => available(token),
  secretUnreachable: (message: string): Check =>
    failed(
      token.v1beta1.type,
      { v1: token.v1beta1.reasons.HetznerSecretUnreachable, v2: token.v1beta2.reasons.SecretUnreachable },
      message,
    ),
  tokenInvalid: (message: string): Check =>
    failed(
      token.v1beta1.type,
      { v1: token.v1beta1.reasons.HCloudCredentialsInvalid, v2: token.v1beta2.reasons.Invalid },
      message,
    ),

  /** v1beta2 has no such type; rate limiting shows as HCloudRateLimitExceeded (negative polarity). */
  apiReachable: (): Check => available({ v1beta1: rateLimit.v1beta1 }),
  rateLimited: (message: string): Check => ({
    ...failed(
      ConditionTypes.HetznerAPIReachable,
      { v1: rateLimit.v1beta1.reasons.RateLimitExceeded, v2: undefined },
      message,
      'Warning',
    ),
    v2: {
      type: rateLimit.v1beta2.type,
      status: 'True',
      reason: rateLimit.v1beta2.reasons.Exceeded,
    },
  }),

  sshKeysAvailable: (): Check => available(sshKeys),
  sshKeysNotFound: (message: string): Check =>
    failed(
      sshKeys.v1beta1.type,
      { v1: sshKeys.v1beta1.reasons.SSHKeyNotFound, v2: sshKeys.v1beta2.reasons.SSHKeyNotFound },
      message,
    ),
  /** Unknown while the names cannot be checked (no token yet, rate limited, API unavailable). */
  sshKeysUnchecked: (message: string, why: SSHKeysUnchecked = 'WaitingForHCloudToken'): Check => {
    const { v1beta1, v1beta2 } = sshKeys;
    return {
      type: v1beta1.type,
      status: 'Unknown',
      reason: v1beta1.reasons[why],
      message,
      gatesReady: true,
      v2: { type: v1beta2.type, status: 'Unknown', reason: v1beta2.reasons[why] },
    };
  },

  privateKeyAvailable: (): Check => available(privateKey),
  privateKeySecretNotFound: (message: string): Check => {
    const reasons = {
      v1: privateKey.v1beta1.reasons.SSHPrivateKeySecretNotFound,
      v2: privateKey.v1beta2.reasons.SSHPrivateKeySecretNotFound,
    };
    return failed(privateKey.v1beta1.type, reasons, message);
  },
  privateKeyFieldEmpty: (message: string): Check => {
    const reasons = {
      v1: privateKey.v1beta1.reasons.SSHPrivateKeyFieldEmpty,
      v2: privateKey.v1beta2.reasons.SSHPrivateKeyFieldEmpty,
    };
    return failed(privateKey.v1beta1.type, reasons, message);
  },

  robotCredentialsAvailable: (): Check => available(robot),
  robotCredentialsInvalid: (message: string): Check =>
    failed(
      robot.v1beta1.type,
      { v1: robot.v1beta1.reasons.RobotCredentialsInvalid, v2: robot.v1beta2.reasons.Invalid },
      message,
    ),

  registryCredentialsAvailable: (): Check => available(registry),
  registrySecretNotFound: (message: string): Check =>
    failed(
      registry.v1beta1.type,
      { v1: registry.v1beta1.reasons.OCIRegistrySecretNotFound, v2: registry.v1beta2.reasons.SecretNotFound },
      message,
    ),
  registrySecretFieldEmpty: (message: string): Check =>
    failed(
      registry.v1beta1.type,
      {
        v1: registry.v1beta1.reasons.OCIRegistrySecretFieldEmpty,
        v2: registry.v1beta2.reasons.SecretFieldEmpty,
      },
      message,
    ),

  /** Reported, never gating: see README.md (the endpoint comes later, or from elsewhere). */
  endpointSet: (): Check => ({
    type: endpoint.v1beta1.type,
    status: 'True',
    gatesReady: false,
    v2: { type: endpoint.v1beta2.type, status: 'True', reason: endpoint.v1beta2.reasons.Set },
  }),
  endpointNotSet: (message: string): Check => ({
    ...failed(
      endpoint.v1beta1.type,
      { v1: endpoint.v1beta1.reasons.ControlPlaneEndpointNotSet, v2: endpoint.v1beta2.reasons.NotSet },
      message,
      'Warning',
    ),
    gatesReady: false,
  }),
};
