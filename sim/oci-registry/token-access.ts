import type { ResourceAccess } from './jwt.js';

/** One requested scope, e.g. `repository:team/image:pull,push`. */
export interface RequestedScope {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/**
 * Parses the `scope` query values of a token request. A value may hold several scopes separated
 * by spaces; the resource name may itself contain `:` (a registry host with a port), so the type
 * ends at the first colon and the actions start after the last one. Malformed scopes are
 * dropped, as the Docker token specification lets a server grant less than asked.
 */
export function parseScopes(values: readonly string[]): readonly RequestedScope[] {
  const scopes: RequestedScope[] = [];
  for (const scope of values.flatMap((value) => value.split(' '))) {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first <= 0 || last <= first + 1) continue;
    const actions = scope
      .slice(last + 1)
      .split(',')
      .filter((action) => action !== '');
    scopes.push({ type: scope.slice(0, first), name: scope.slice(first + 1, last), actions });
  }
  return scopes;
}

/**
 * What the token grants: for each requested repository the intersection of the requested and
 * the allowed actions. Other resource types (such as `registry:catalog:*`) get nothing, and so
 * do repositories where nothing is allowed; the registry then answers `insufficient_scope`.
 */
export function grantAccess(
  scopes: readonly RequestedScope[],
  allowed: readonly string[],
): readonly ResourceAccess[] {
  const granted = new Map<string, Set<string>>();
  for (const scope of scopes) {
    if (scope.type !== 'repository') continue;
    const actions = scope.actions.filter((action) => allowed.includes(action));
    if (actions.length === 0) continue;
    const set = granted.get(scope.name) ?? new Set<string>();
    for (const action of actions) set.add(action);
    granted.set(scope.name, set);
  }
  return [...granted].map(([name, actions]) => ({ type: 'repository', name, actions: [...actions] }));
}
