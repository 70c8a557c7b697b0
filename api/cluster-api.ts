/**
 * Cluster API's own API group and the version imageurl reads its objects at, written once for
 * the controller, the tests and the benchmarks (imageurl's group is in `v1beta1/kind.ts`).
 */

/** Cluster API's core group: Cluster, Machine. */
export const CAPI_GROUP = 'cluster.x-k8s.io';
/**
 * The version Cluster API stores Machine and Cluster at (v1beta2 since Cluster API 1.11); the
 * controller also reads the v1beta1 shape of the fields it uses.
 */
export const CAPI_VERSION = 'v1beta2';
/** `apiVersion` of Cluster API's Machine and Cluster objects. */
export const CAPI_API_VERSION = `${CAPI_GROUP}/${CAPI_VERSION}`;
/** Cluster API's bootstrap providers' group (KubeadmConfig). */
export const CAPI_BOOTSTRAP_GROUP = `bootstrap.${CAPI_GROUP}`;
/**
 * The Cluster API contract imageurl's release series declare (metadata.yaml): v1beta2, served by
 * the v1beta2 version of every kind. The v1beta1 contract stays declared on the CRDs too.
 */
export const CAPI_CONTRACT = 'v1beta2';
/**
 * clusterctl move sets this on each source object just before deleting it (its copy lives on in
 * the target management cluster). Its JSON patch replaces all annotations with this one.
 */
export const DELETE_FOR_MOVE_ANNOTATION = 'clusterctl.cluster.x-k8s.io/delete-for-move';
/**
 * clusterctl move takes an object carrying this label (any value) even when no Cluster owns it;
 * a Secret without it, an owner reference or a `<cluster>-` name prefix stays behind.
 */
export const CLUSTERCTL_MOVE_LABEL = 'clusterctl.cluster.x-k8s.io/move';
