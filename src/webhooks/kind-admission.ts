import type { FieldError } from './field-errors.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** What a validator sees of one admission request; objects are plain JSON as the apiserver sent them. */
export interface AdmissionAttributes {
  readonly operation: AdmissionOperation;
  /** `dryRun: true` requests (Cluster API topology dry-runs among them) may change template specs. */
  readonly dryRun: boolean;
  readonly object: unknown;
  /** Present on UPDATE and DELETE. */
  readonly oldObject: unknown;
  /**
   * The namespace the object lives in (the request's; offline, the manifest's own), or '' when
   * it is not known yet (an offline manifest without one: kubectl would take it from its context).
   */
  readonly namespace?: string;
  /**
   * Who sent the request and who the controller is (usernames as the apiserver authenticated
   * them). Absent offline: `imageurl validate` knows no user, so rules about who may write skip.
   */
  readonly users?: AdmissionUsers;
}

export interface AdmissionUsers {
  /** `request.userInfo.username` */
  readonly requester: string;
  /** The controller's own username (a ServiceAccount's `system:serviceaccount:<ns>:<name>`). */
  readonly controller: string;
}

/**
 * The admission rules of one kind, as pure functions: the webhook server and `imageurl validate`
 * both run them, so a manifest is judged the same way offline and in the cluster.
 */
export interface KindAdmission {
  /** `HCloudMachine` */
  readonly kind: string;
  /** `hcloudmachines` */
  readonly plural: string;
  /** Every problem with the object, with field paths; empty when admissible. Must not throw for bad input. */
  validate(attributes: AdmissionAttributes): readonly FieldError[];
  /** Returns the object with defaults applied (a new object; the input is not modified). */
  default?(object: unknown): unknown;
}
