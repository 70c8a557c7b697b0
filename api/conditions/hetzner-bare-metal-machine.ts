import type { KindConditions } from './format.js';
import { HetznerBareMetalHostConditions } from './hetzner-bare-metal-host.js';
import { BootstrapReadyCondition, ReadyCondition } from './shared.js';

/**
 * The HetznerBareMetalMachine's condition types and reasons, CAPH's exact strings
 * (`api/v1beta1/conditions_const.go`, `api/v1beta2/conditions_const.go`). The v1beta2 Ready
 * summarises HostAssociated, Deleting, HostReady and ServerAvailable, in that order.
 */
export const HetznerBareMetalMachineConditions = {
  Ready: ReadyCondition,
  BootstrapReady: BootstrapReadyCondition,
  HostAssociated: {
    v1beta1: {
      type: 'HostAssociateSucceeded',
      reasons: { NoAvailableHost: 'NoAvailableHost', HostAssociateFailed: 'HostAssociateFailed' },
    },
    v1beta2: {
      type: 'HostAssociated',
      reasons: {
        WaitingForBootstrapData: 'WaitingForBootstrapData',
        Associated: 'Associated',
        NoAvailableHost: 'NoAvailableHost',
        AssociationFailed: 'AssociationFailed',
      },
    },
  },
  /** v1beta2 only; negative polarity (True while the machine is being deleted). */
  Deleting: { v1beta2: { type: 'Deleting', reasons: { Deleting: 'Deleting' } } },
  /** Mirrors the host's Ready; in v1beta1 with the host's reason. */
  HostReady: {
    v1beta1: {
      type: 'HostReady',
      reasons: {
        HostNotFound: 'HostNotFound',
        /** The host has no Ready condition yet: CAPH's generic host reason. */
        StillProvisioning:
          HetznerBareMetalHostConditions.ProvisionSucceeded.v1beta1.reasons.StillProvisioning,
      },
    },
    v1beta2: { type: 'HostReady', reasons: { Ready: 'Ready', NotReady: 'NotReady', NotFound: 'NotFound' } },
  },
  ServerAvailable: {
    v1beta1: { type: 'ServerAvailable', reasons: {} },
    v1beta2: { type: 'ServerAvailable', reasons: { Available: 'Available' } },
  },
} as const satisfies KindConditions;
