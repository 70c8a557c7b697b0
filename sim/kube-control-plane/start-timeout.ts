/** Default time each control-plane process gets to become ready. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 };

/**
 * The start deadline from `KUBEBUILDER_CONTROLPLANE_START_TIMEOUT` (envtest's variable; Go-style
 * `90s`, `2m`, `500ms`, or plain seconds), else the default. Rejects values it cannot read.
 */
export function startTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['KUBEBUILDER_CONTROLPLANE_START_TIMEOUT']?.trim();
  if (!raw) return DEFAULT_START_TIMEOUT_MS;
  const match = DURATION.exec(raw);
  const amount = Number(match?.[1]);
  if (!match || !(amount > 0)) {
    throw new Error(
      `KUBEBUILDER_CONTROLPLANE_START_TIMEOUT=${raw.slice(0, 40)} is not a duration; use e.g. 90s, 2m or 500ms`,
    );
  }
  return Math.round(amount * (UNIT_MS[match[2] ?? 's'] ?? 1_000));
}
