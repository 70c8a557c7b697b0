/** Shorter values are not redacted: they would blank ordinary words of the output. */
const MIN_SECRET_LENGTH = 4;

/**
 * What must never leave the rescue system in the command's output, events or error messages:
 * the registry token, and the parts of the image URL that are credentials — a userinfo
 * password, and every query value but `sha256` (presigned URLs carry their signature,
 * credential and session token there). Both the raw and the decoded spelling count, since a
 * command may print either.
 */
export function commandSecrets(input: {
  readonly registryToken?: string | undefined;
  readonly imageUrl: string;
}): string[] {
  const values = [input.registryToken ?? '', ...imageUrlSecrets(input.imageUrl)];
  return [...new Set(values)].filter((value) => value.length >= MIN_SECRET_LENGTH);
}

function imageUrlSecrets(imageUrl: string): string[] {
  const withoutFragment = imageUrl.split('#', 1)[0] ?? '';
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?@]*)@/i.exec(withoutFragment)?.[1];
  const password = userinfo?.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : '';
  const query = withoutFragment.includes('?') ? withoutFragment.slice(withoutFragment.indexOf('?') + 1) : '';
  const values = query
    .split('&')
    .filter((pair) => (pair.split('=', 1)[0] ?? '').toLowerCase() !== 'sha256')
    .map((pair) => (pair.includes('=') ? pair.slice(pair.indexOf('=') + 1) : pair));
  return [password, ...values].flatMap((raw) => [raw, decoded(raw)]);
}

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
