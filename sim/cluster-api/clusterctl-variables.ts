/**
 * clusterctl's variable substitution (drone/envsubst): `${NAME}`, and with a default
 * `${NAME:=default}`, `${NAME=default}`, `${NAME:-default}`, `${NAME-default}`. Enough to check
 * what `clusterctl init` and `clusterctl generate cluster` would produce, without clusterctl.
 */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[=-])([^}]*))?\}/g;

export interface VariableUse {
  readonly name: string;
  readonly default: string | undefined;
}

/** Every variable the text references, once per name (the first default seen). */
export function variablesIn(text: string): VariableUse[] {
  const seen = new Map<string, VariableUse>();
  for (const [, name = '', operator, fallback] of text.matchAll(REFERENCE))
    if (!seen.has(name))
      seen.set(name, { name, default: operator === undefined ? undefined : (fallback ?? '') });
  return [...seen.values()];
}

/** The text with each variable replaced; a variable without a value or default throws, naming it. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(
    REFERENCE,
    (_, name: string, operator: string | undefined, fallback: string | undefined) => {
      const value = values[name];
      if (value !== undefined && (value !== '' || operator === undefined || !operator.startsWith(':')))
        return value;
      if (operator !== undefined) return fallback ?? '';
      throw new Error(`variable ${name} has no value and no default`);
    },
  );
}
