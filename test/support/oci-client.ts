import { createHash } from 'node:crypto';

/**
 * A small OCI distribution client for tests: speaks the registry HTTP API with fetch and answers
 * auth challenges the way docker, skopeo and oras do (Basic, or the Bearer token flow).
 */

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

export interface OciCredentials {
  readonly username: string;
  readonly password: string;
}

export interface OciDescriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ArtifactLayer {
  readonly mediaType: string;
  readonly data: Uint8Array;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ArtifactSpec {
  readonly artifactType: string;
  readonly layers: readonly ArtifactLayer[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface PushedArtifact {
  readonly manifestDigest: string;
  /** The exact bytes pushed; a pull must return them unchanged. */
  readonly manifestBytes: Buffer;
  readonly layers: readonly OciDescriptor[];
}

export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface RequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | string;
}

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (or `Basic realm="…"`). */
export function parseChallenge(header: string | null): Challenge | undefined {
  const match = /^(\w+)\s*(.*)$/s.exec(header?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const params: Record<string, string> = {};
  for (const param of (match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) {
    if (param[1] !== undefined) params[param[1]] = param[2] ?? '';
  }
  return { scheme: match[1], params };
}

async function failure(what: string, response: Response): Promise<Error> {
  const text = (await response.text()).slice(0, 500);
  return new Error(`${what}: HTTP ${response.status} ${text}`);
}

export class OciClient {
  private authorization: string | undefined;

  constructor(
    readonly registryUrl: string,
    private readonly credentials?: OciCredentials,
  ) {}

  /** A registry request; on a 401 challenge it authenticates and retries once. */
  async request(method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(pathOrUrl, this.registryUrl);
    const send = (): Promise<Response> =>
      fetch(url, {
        method,
        headers: { ...options.headers, ...(this.authorization ? { authorization: this.authorization } : {}) },
        ...(options.body === undefined ? {} : { body: options.body }),
      });
    const first = await send();
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers.get('www-authenticate'));
    if (!challenge || !this.credentialsFor(challenge)) return first;
    await first.arrayBuffer();
    this.authorization = await this.answer(challenge);
    return send();
  }

  /** The raw token-server response for `scope` (the Docker token flow), without caching. */
  async fetchToken(challenge: Challenge, scope = challenge.params.scope): Promise<Response> {
    const realm = new URL(challenge.params.realm ?? '');
    realm.searchParams.set('service', challenge.params.service ?? '');
    if (scope) realm.searchParams.set('scope', scope);
    const headers: Record<string, string> = this.credentials ? { authorization: this.basic() } : {};
    return fetch(realm, { headers });
  }

  async pushBlob(
    repository: string,
    data: Uint8Array,
    mediaType = 'application/octet-stream',
  ): Promise<OciDescriptor> {
    const digest = sha256Digest(data);
    const started = await this.request('POST', `/v2/${repository}/blobs/uploads/`);
    const location = started.headers.get('location');
    if (started.status !== 202 || !location)
      throw await failure(`starting an upload to ${repository}`, started);
    const target = new URL(location, this.registryUrl);
    target.searchParams.set('digest', digest);
    const headers = { 'content-type': 'application/octet-stream' };
    const finished = await this.request('PUT', target.href, { headers, body: data });
    if (finished.status !== 201) throw await failure(`uploading ${digest} to ${repository}`, finished);
    await finished.arrayBuffer();
    return { mediaType, digest, size: data.byteLength };
  }

  async pushManifest(
    repository: string,
    reference: string,
    bytes: Uint8Array,
    mediaType = OCI_MANIFEST,
  ): Promise<string> {
    const headers = { 'content-type': mediaType };
    const response = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      headers,
      body: bytes,
    });
    if (response.status !== 201) throw await failure(`pushing manifest ${repository}:${reference}`, response);
    await response.arrayBuffer();
    return response.headers.get('docker-content-digest') ?? sha256Digest(bytes);
  }

  /** Pushes an OCI artifact: the empty config, each layer, then the manifest under `tag`. */
  async pushArtifact(repository: string, tag: string, spec: ArtifactSpec): Promise<PushedArtifact> {
    const config = await this.pushBlob(repository, Buffer.from('{}'), OCI_EMPTY);
    const layers: OciDescriptor[] = [];
    for (const layer of spec.layers) {
      const pushed = await this.pushBlob(repository, layer.data, layer.mediaType);
      layers.push(layer.annotations ? { ...pushed, annotations: layer.annotations } : pushed);
    }
    const manifest = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: spec.artifactType,
      config,
      layers,
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    const manifestDigest = await this.pushManifest(repository, tag, manifestBytes);
    return { manifestDigest, manifestBytes, layers };
  }

  async getManifest(
    repository: string,
    reference: string,
  ): Promise<{ bytes: Buffer; mediaType: string | null }> {
    const headers = { accept: OCI_MANIFEST };
    const response = await this.request('GET', `/v2/${repository}/manifests/${reference}`, { headers });
    if (response.status !== 200) throw await failure(`pulling manifest ${repository}:${reference}`, response);
    return {
      bytes: Buffer.from(await response.arrayBuffer()),
      mediaType: response.headers.get('content-type'),
    };
  }

  /** `GET` a blob; pass `range` (e.g. `bytes=2-5`) for a partial read. The caller checks status. */
  async getBlob(repository: string, digest: string, range?: string): Promise<Response> {
    return this.request('GET', `/v2/${repository}/blobs/${digest}`, range ? { headers: { range } } : {});
  }

  private credentialsFor(challenge: Challenge): boolean {
    const scheme = challenge.scheme.toLowerCase();
    return scheme === 'bearer' || (scheme === 'basic' && this.credentials !== undefined);
  }

  private basic(): string {
    const { username, password } = this.credentials ?? { username: '', password: '' };
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  private async answer(challenge: Challenge): Promise<string> {
    if (challenge.scheme.toLowerCase() === 'basic') return this.basic();
    const response = await this.fetchToken(challenge);
    if (response.status !== 200)
      throw await failure(`getting a token from ${challenge.params.realm ?? '?'}`, response);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error('the token server answered without a token');
    return `Bearer ${token}`;
  }
}
