import type { StatusMapping } from './status.js';

/** Where a kind keeps the status the versions spell differently, and how it maps. */
export interface ConversionKind {
  /** Path of the status object in the object (`status`, or `spec.status` for the host). */
  readonly statusPath?: readonly string[];
  readonly mapping: StatusMapping;
}

const machine: StatusMapping = { initialization: true, failure: true };

/** Every kind imageurl converts, by `kind`. */
export const conversionKinds: Readonly<Record<string, ConversionKind>> = {
  HCloudMachine: { statusPath: ['status'], mapping: machine },
  HCloudMachineTemplate: { statusPath: ['status'], mapping: {} },
  HCloudRemediation: { statusPath: ['status'], mapping: {} },
  HCloudRemediationTemplate: { statusPath: ['status', 'status'], mapping: {} },
  HetznerBareMetalHost: { statusPath: ['spec', 'status'], mapping: {} },
  HetznerBareMetalMachine: { statusPath: ['status'], mapping: machine },
  HetznerBareMetalMachineTemplate: { mapping: {} },
  HetznerCluster: {
    statusPath: ['status'],
    mapping: { initialization: true, failureDomainList: true },
  },
};
