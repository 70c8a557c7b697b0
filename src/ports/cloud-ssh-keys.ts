/**
 * The SSH keys of one Hetzner Cloud project, as the HetznerCluster reconciler needs them: which
 * names exist. Rejects with a CloudError (./cloud-errors.ts), e.g. `unauthorized` for a wrong
 * token or `rate_limit_exceeded`. The HTTP adapter lives in src/hetzner/cloud/ssh-keys.ts.
 */
export interface CloudSshKeys {
  /** Every SSH key of the project (all pages), in the API's order. */
  listSshKeys(): Promise<readonly CloudSshKey[]>;
}

export interface CloudSshKey {
  readonly id: number;
  readonly name: string;
  /** MD5 fingerprint as the API shows it, e.g. `b7:2f:…`. */
  readonly fingerprint: string;
}
