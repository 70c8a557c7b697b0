/**
 * The controller's bookkeeping on HCloudMachines and HetznerBareMetalHosts: JSON the state
 * machines persist where CAPH's CRDs have no field (the rescue host-key pin, whether a server
 * was requested, error counters). Annotations, not status, because `clusterctl move` re-creates
 * objects without their status. Only the controller may change them (the admission webhook).
 */
export const HCLOUD_MACHINE_STATE_ANNOTATION = 'imageurl.io/provisioning-state';
export const HOST_STATE_ANNOTATION = 'imageurl.io/host-provisioning-state';
