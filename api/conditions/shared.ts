/**
 * Condition types more than one kind sets, spelled once and referenced by each kind's vocabulary.
 * Strings are CAPH's (`api/v1beta1/conditions_const.go`, `api/v1beta2/conditions_const.go`)
 * unless marked as imageurl's own.
 */

/** The summary of a kind's other conditions. */
export const ReadyCondition = {
  /** Cluster API v1beta1's summary copies the reason of the most severe condition. */
  v1beta1: { type: 'Ready', reasons: {} },
  v1beta2: { type: 'Ready', reasons: { Ready: 'Ready', NotReady: 'NotReady', ReadyUnknown: 'ReadyUnknown' } },
} as const;

/** v1beta1 only; v1beta2 says the same with the kind's own WaitingForBootstrapData. */
export const BootstrapReadyCondition = {
  v1beta1: { type: 'BootstrapReady', reasons: { BootstrapNotReady: 'BootstrapNotReady' } },
} as const;

export const HCloudTokenAvailableCondition = {
  v1beta1: {
    type: 'HCloudTokenAvailable',
    reasons: {
      HetznerSecretUnreachable: 'HetznerSecretUnreachable',
      HCloudCredentialsInvalid: 'HCloudCredentialsInvalid',
    },
  },
  v1beta2: {
    type: 'HCloudTokenAvailable',
    reasons: { Available: 'Available', Invalid: 'Invalid', SecretUnreachable: 'SecretUnreachable' },
  },
} as const;

/**
 * The Hetzner API's `rate_limit_exceeded`: v1beta1 HetznerAPIReachable False while limited,
 * v1beta2 HCloudRateLimitExceeded True while limited (negative polarity).
 */
export const HCloudRateLimitExceededCondition = {
  v1beta1: { type: 'HetznerAPIReachable', reasons: { RateLimitExceeded: 'RateLimitExceeded' } },
  v1beta2: {
    type: 'HCloudRateLimitExceeded',
    reasons: {
      Exceeded: 'Exceeded',
      /** imageurl's own: CAPH removes the condition once the wait is over; imageurl sets it False. */
      NotExceeded: 'NotExceeded',
    },
  },
} as const;

const sshPrivateKeyReasons = {
  SSHPrivateKeyNotFound: 'SSHPrivateKeyNotFound',
  SSHPrivateKeySecretRefNotConfigured: 'SSHPrivateKeySecretRefNotConfigured',
  SSHPrivateKeySecretNotFound: 'SSHPrivateKeySecretNotFound',
  SSHPrivateKeyFieldEmpty: 'SSHPrivateKeyFieldEmpty',
} as const;

/** The rescue SSH key; the HCloudMachine writes only the v1beta1 form, the HetznerCluster both. */
export const SSHPrivateKeyAvailableCondition = {
  v1beta1: { type: 'SSHPrivateKeyAvailable', reasons: sshPrivateKeyReasons },
  v1beta2: { type: 'SSHPrivateKeyAvailable', reasons: { Available: 'Available', ...sshPrivateKeyReasons } },
} as const;
