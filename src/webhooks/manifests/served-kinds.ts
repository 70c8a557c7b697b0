import { CONVERTIBLE_VERSIONS } from '../../../api/conversion/index.js';
import { GROUP } from '../../../api/v1beta1/kind.js';
import type { FieldError } from '../field-errors.js';

/**
 * Whether the apiserver would map `apiVersion`/`kind` to one of imageurl's CRDs: `ours` for a
 * served kind, `foreign` for another group (not ours to judge), and field errors for our group
 * with a kind or version imageurl does not serve, which `kubectl apply` fails with
 * `no matches for kind … in version …`.
 */
export type KindJudgement =
  | { readonly status: 'ours' }
  | { readonly status: 'foreign' }
  | { readonly status: 'unserved'; readonly errors: readonly FieldError[] };

/** Every version the CRDs serve: v1beta1 (stored) and v1beta2, converted by the webhook server. */
const SERVED_VERSIONS: readonly string[] = CONVERTIBLE_VERSIONS;

export function judgeKind(apiVersion: string, kind: string, servedKinds: readonly string[]): KindJudgement {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  if (group !== GROUP) return { status: 'foreign' };
  const kubectl = `kubectl apply fails with: no matches for kind "${kind}" in version "${apiVersion}"`;
  const errors: FieldError[] = [];
  const version = apiVersion.slice(slash + 1);
  if (!SERVED_VERSIONS.includes(version)) {
    const served = SERVED_VERSIONS.join(', ');
    errors.push(
      unsupported(
        'apiVersion',
        apiVersion,
        `${GROUP} ${version} is not served (served: ${served}); ${kubectl}`,
      ),
    );
  }
  if (!servedKinds.includes(kind)) {
    const served = `served: ${servedKinds.join(', ')}`;
    errors.push(unsupported('kind', kind, `not a kind imageurl serves in ${GROUP} (${served}); ${kubectl}`));
  }
  return errors.length === 0 ? { status: 'ours' } : { status: 'unserved', errors };
}

function unsupported(field: string, value: string, detail: string): FieldError {
  return { type: 'NotSupported', field, value, detail };
}
