/** Kubernetes label key and value syntax (apimachinery validation.IsQualifiedName / IsValidLabelValue). */
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_RULE =
  "alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character";

/** Problems with a label key such as `example.com/role`; empty when valid. */
export function labelKeyProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [`a qualified name must consist of ${NAME_RULE}, with an optional DNS subdomain prefix and '/'`];
  }
  const [prefix, name] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : [undefined, key];
  return [...(prefix === undefined ? [] : prefixProblems(prefix)), ...nameProblems(name)];
}

/** Problems with a label value; empty when valid (the empty value is valid). */
export function labelValueProblems(value: string): string[] {
  if (value === '') return [];
  if (value.length > 63) return ['must be no more than 63 characters'];
  return NAME.test(value) ? [] : [`a valid label value must be empty or consist of ${NAME_RULE}`];
}

function prefixProblems(prefix: string): string[] {
  if (prefix === '') return ['prefix part must be non-empty'];
  if (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
    return ['prefix part must be a lowercase RFC 1123 subdomain of at most 253 characters'];
  }
  return [];
}

function nameProblems(name: string): string[] {
  if (name === '') return ['name part must be non-empty'];
  if (name.length > 63) return ['name part must be no more than 63 characters'];
  return NAME.test(name) ? [] : [`name part must consist of ${NAME_RULE}`];
}
