/**
 * The path template of a Cloud API request, for metrics and call records: query dropped,
 * trailing slashes trimmed, every path segment that is an id (digits) replaced by `{id}`, so
 * `/servers/42/actions/poweron?x=1` becomes `/servers/{id}/actions/poweron`. Everything else in
 * our paths is a fixed word, so the number of templates stays bounded.
 */
export function templatePath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  const segments = bare.split('/').map((segment) => (/^\d+$/.test(segment) ? '{id}' : segment));
  const joined = segments.join('/').replace(/\/+$/, '');
  return joined === '' ? '/' : joined;
}
