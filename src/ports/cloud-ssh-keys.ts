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

/**
 * Adding and removing keys, for `imageurl provision`: it uploads the public half of the key it
 * logs in with when the project has no key of that fingerprint, and removes only what it uploaded.
 */
export interface CloudSshKeyUploads extends CloudSshKeys {
  /** Stores a public key; a taken name or fingerprint rejects with `uniqueness_error`. */
  createSshKey(input: {
    readonly name: string;
    readonly publicKey: string;
    readonly labels?: Readonly<Record<string, string>>;
  }): Promise<CloudSshKey>;
  /** Removes a key; a missing key resolves `deleted: false` (removing twice is not an error). */
  deleteSshKey(input: { readonly id: number }): Promise<{ readonly deleted: boolean }>;
}
