/**
 * The HetznerBareMetalHost provisioning states (`spec.status.provisioningState`) the image-url
 * flow passes, in order. CAPH's `pre-provisioning` (OS key for installimage, the controller's
 * pre-provision command) and `deleting` are not used by this flow; a unit test holds these
 * values to api/v1beta1's ProvisioningState. Kept here, not imported from api/, because the
 * core knows only ports.
 */
export const hostStates = [
  '',
  'preparing',
  'registering',
  'image-installing',
  'ensure-provisioned',
  'provisioned',
  'deprovisioning',
] as const;

export type HostState = (typeof hostStates)[number];

export function isHostState(value: unknown): value is HostState {
  return (hostStates as readonly unknown[]).includes(value);
}

/** How a state reads in logs and docs (CAPH calls `''` "none": the host is available). */
export function hostStateLabel(state: HostState): string {
  return state === '' ? '(none)' : state;
}

/** A Mermaid identifier: `image-installing` → `ImageInstalling`, `''` → `None`. */
export function hostStateNode(state: HostState): string {
  if (state === '') return 'None';
  return state
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
