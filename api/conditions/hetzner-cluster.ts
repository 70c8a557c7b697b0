import type { KindConditions } from './format.js';
import {
  HCloudRateLimitExceededCondition,
  HCloudTokenAvailableCondition,
  ReadyCondition,
  SSHPrivateKeyAvailableCondition,
} from './shared.js';

const sshKeysUnchecked = {
  WaitingForHCloudToken: 'WaitingForHCloudToken',
  WaitingForRateLimit: 'WaitingForRateLimit',
  HetznerAPIUnavailable: 'HetznerAPIUnavailable',
} as const;

/**
 * The HetznerCluster's condition types and reasons, CAPH's exact strings
 * (`api/v1beta1/conditions_const.go`, `api/v1beta2/conditions_const.go`) unless marked as
 * imageurl's own.
 */
export const HetznerClusterConditions = {
  Ready: ReadyCondition,
  HCloudTokenAvailable: HCloudTokenAvailableCondition,
  /** v1beta1 HetznerAPIReachable; the cluster writes the v1beta2 form only while limited. */
  HCloudRateLimitExceeded: HCloudRateLimitExceededCondition,
  /**
   * imageurl's own: CAPH checks the names only when it creates a server (HCloudMachine
   * ServerCreateSucceeded/SSHKeyNotFound); on the cluster a typo shows before any machine exists.
   */
  HCloudSSHKeysAvailable: {
    v1beta1: {
      type: 'HCloudSSHKeysAvailable',
      reasons: { SSHKeyNotFound: 'SSHKeyNotFound', ...sshKeysUnchecked },
    },
    v1beta2: {
      type: 'HCloudSSHKeysAvailable',
      reasons: { Available: 'Available', SSHKeyNotFound: 'SSHKeyNotFound', ...sshKeysUnchecked },
    },
  },
  SSHPrivateKeyAvailable: SSHPrivateKeyAvailableCondition,
  /** CAPH sets it on HetznerBareMetalHosts; imageurl also on the cluster, once bare metal is used. */
  RobotCredentialsAvailable: {
    v1beta1: {
      type: 'RobotCredentialsAvailable',
      reasons: { RobotCredentialsInvalid: 'RobotCredentialsInvalid' },
    },
    v1beta2: { type: 'RobotCredentialsAvailable', reasons: { Available: 'Available', Invalid: 'Invalid' } },
  },
  /** imageurl's own: the Secret of `spec.ociRegistryAuth`, when the cluster names one. */
  OCIRegistryCredentialsAvailable: {
    v1beta1: {
      type: 'OCIRegistryCredentialsAvailable',
      reasons: {
        OCIRegistrySecretNotFound: 'OCIRegistrySecretNotFound',
        OCIRegistrySecretFieldEmpty: 'OCIRegistrySecretFieldEmpty',
      },
    },
    v1beta2: {
      type: 'OCIRegistryCredentialsAvailable',
      reasons: {
        Available: 'Available',
        SecretNotFound: 'SecretNotFound',
        SecretFieldEmpty: 'SecretFieldEmpty',
      },
    },
  },
  /** The private network (`spec.hcloudNetwork.enabled`); only set when it is enabled. */
  NetworkReady: {
    v1beta1: { type: 'NetworkReady', reasons: { NetworkReconcileFailed: 'NetworkReconcileFailed' } },
    v1beta2: { type: 'NetworkReady', reasons: { Ready: 'Ready', ReconcilingFailed: 'ReconcilingFailed' } },
  },
  /** The placement groups of `spec.hcloudPlacementGroups`. */
  PlacementGroupsSynced: {
    v1beta1: {
      type: 'PlacementGroupsSynced',
      reasons: { PlacementGroupsSyncFailed: 'PlacementGroupsSyncFailed' },
    },
    v1beta2: { type: 'PlacementGroupsSynced', reasons: { Synced: 'Synced', SyncingFailed: 'SyncingFailed' } },
  },
  /** The control-plane load balancer; only set when `spec.controlPlaneLoadBalancer.enabled`. */
  LoadBalancerReady: {
    v1beta1: {
      type: 'LoadBalancerReady',
      reasons: {
        LoadBalancerCreateFailed: 'LoadBalancerCreateFailed',
        LoadBalancerUpdateFailed: 'LoadBalancerUpdateFailed',
        LoadBalancerServiceSyncFailed: 'LoadBalancerServiceSyncFailed',
        LoadBalancerFailedToOwn: 'LoadBalancerFailedToOwn',
        NetworkAttachFailed: 'NetworkAttachFailed',
      },
    },
    v1beta2: {
      type: 'LoadBalancerReady',
      reasons: {
        Ready: 'Ready',
        CreationFailed: 'CreationFailed',
        UpdateFailed: 'UpdateFailed',
        SyncingServicesFailed: 'SyncingServicesFailed',
        OwningFailed: 'OwningFailed',
        AttachingToNetworkFailed: 'AttachingToNetworkFailed',
      },
    },
  },
  /** Reported, never gating: the endpoint is the user's, or the load balancer's once it exists. */
  ControlPlaneEndpointSet: {
    v1beta1: {
      type: 'ControlPlaneEndpointSet',
      reasons: { ControlPlaneEndpointNotSet: 'ControlPlaneEndpointNotSet' },
    },
    v1beta2: { type: 'ControlPlaneEndpointSet', reasons: { Set: 'Set', NotSet: 'NotSet' } },
  },
} as const satisfies KindConditions;
