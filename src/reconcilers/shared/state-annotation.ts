import type { Condition } from '../../state-machine/index.js';

/**
 * The bookkeeping annotation both cores persist (no CRD field holds it), shared by the
 * HCloudMachine and HetznerBareMetalHost status mappings: JSON with the conditions kept lossless.
 */

/**
 * The annotation's JSON (the caller says what it holds); missing or unreadable is an empty
 * record, so the core starts afresh.
 */
export function parseStateAnnotation(raw: string | undefined): object {
  if (!raw) return {};
  try {
    return JSON.parse(raw) as object;
  } catch {
    return {};
  }
}

/** The stored conditions with their times as Dates again (JSON left them strings). */
export function reviveConditions(
  stored: Readonly<Record<string, Condition>> | undefined,
): Record<string, Condition> {
  const conditions: Record<string, Condition> = {};
  for (const [type, condition] of Object.entries(stored ?? {})) {
    conditions[type] = { ...condition, lastTransitionTime: new Date(condition.lastTransitionTime) };
  }
  return conditions;
}

/** `record` without its undefined values (exactOptionalPropertyTypes). */
export function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
