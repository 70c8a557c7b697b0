import type { SchemaCheck } from '../webhooks/manifests/validate-manifests.js';
import type { ServedKind } from '../webhooks/server/index.js';

/** The API's kinds with their admission rules, as validate, the webhooks and the demo use them. */
export interface ServedDefinitions {
  /** Every kind imageurl serves in its group, from the API's registry of kinds. */
  readonly servedKinds: readonly string[];
  readonly admissions: readonly ServedKind[];
  readonly schemaCheck: SchemaCheck;
}

export type LoadServedDefinitions = () => Promise<ServedDefinitions>;

/**
 * Loads the API's schemas and admission rules when a command runs, not when the CLI starts:
 * they are most of the CLI's start-up time, and `--help` or `version` need none of them.
 */
export function servedDefinitionsLoader(): LoadServedDefinitions {
  let loaded: Promise<ServedDefinitions> | undefined;
  return () => {
    loaded ??= (async () => {
      const [{ kinds }, { v1beta2Kinds }, { allKindAdmissions }, { crdSchemaCheck }] = await Promise.all([
        import('../../api/v1beta1/index.js'),
        import('../../api/v1beta2/index.js'),
        import('../webhooks/kinds/index.js'),
        import('../webhooks/manifests/schema-check.js'),
      ]);
      return {
        servedKinds: kinds.map((definition) => definition.kind),
        admissions: allKindAdmissions(),
        schemaCheck: crdSchemaCheck(kinds, { v1beta1: kinds, v1beta2: v1beta2Kinds }),
      };
    })();
    return loaded;
  };
}
