import { readBoundedText } from '../util/bounded-body.js';

/** Errors of the OCI registry client, each with a stable code; never carrying credentials. */
export class OciError extends Error {
  constructor(
    readonly code:
      'OCI_REFERENCE_INVALID' | 'OCI_UNAUTHORIZED' | 'OCI_DENIED' | 'OCI_REGISTRY_ERROR' | 'OCI_UNREACHABLE',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The registry's error body (`{"errors":[{"code","message"}]}`), shortened for messages. */
export async function registryErrorText(response: Response): Promise<string> {
  const text = await readBoundedText(response, 64 * 1024).catch(() => '');
  try {
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const errors = (body.errors ?? []).map((e) => `${e.code ?? '?'}: ${e.message ?? ''}`);
    if (errors.length > 0) return errors.join('; ').slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 300) || '(empty body)';
}

/** Classifies a failed registry response where it arrives. */
export async function responseError(what: string, response: Response): Promise<OciError> {
  const detail = await registryErrorText(response);
  if (response.status === 401)
    return new OciError(
      'OCI_UNAUTHORIZED',
      `${what}: the registry refused the credentials (HTTP 401: ${detail})`,
    );
  if (response.status === 403)
    return new OciError('OCI_DENIED', `${what}: access denied (HTTP 403: ${detail})`);
  return new OciError('OCI_REGISTRY_ERROR', `${what}: HTTP ${response.status}: ${detail}`);
}
