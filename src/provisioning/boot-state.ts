/**
 * CAPH's HCloudMachine boot states (`status.bootState`), in the order the image-url flow passes
 * them. Kept here, not imported from api/, because the core knows only ports; a unit test holds
 * it equal to api/v1beta1's HCloudBootState.
 */
export const bootStates = [
  '',
  'Initializing',
  'EnablingRescue',
  'BootingToRescue',
  'RunningImageCommand',
  'BootingToRealOS',
  'OperatingSystemRunning',
  'ProvisioningFailed',
] as const;

export type BootState = (typeof bootStates)[number];

export function isBootState(value: unknown): value is BootState {
  return (bootStates as readonly unknown[]).includes(value);
}

/** How a state is named in logs and docs ('' reads badly). */
export function bootStateLabel(state: BootState): string {
  return state === '' ? '(unset)' : state;
}
