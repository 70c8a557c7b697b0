import { answerChallenge, type RegistryCredentials } from './registry-auth.js';
import { OciError, responseError } from './oci-errors.js';

type Body = string | Uint8Array;

/**
 * The OCI distribution API for one repository. Authenticates lazily: the first request that
 * meets a 401 answers the challenge (Basic or the Bearer token flow) and retries; later requests,
 * including streamed uploads that cannot be replayed, reuse that authorization.
 */
export class RegistryClient {
  private authorization: string | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly repository: string,
    private readonly credentials?: RegistryCredentials,
  ) {}

  /** A repeatable request (no streamed body), answering one auth challenge. */
  async request(
    method: string,
    pathOrUrl: string,
    init: { headers?: Record<string, string>; body?: Body } = {},
  ): Promise<Response> {
    const response = await this.send(method, pathOrUrl, init);
    if (response.status !== 401) return response;
    await response.arrayBuffer();
    this.authorization = await answerChallenge(
      response,
      this.credentials,
      `repository:${this.repository}:pull,push`,
    );
    return this.send(method, pathOrUrl, init);
  }

  async blobExists(digest: string): Promise<boolean> {
    const response = await this.request('HEAD', `/v2/${this.repository}/blobs/${digest}`);
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw await responseError(`checking blob ${digest}`, response);
  }

  /** A small blob in one request (the empty config). */
  async uploadBlob(bytes: Uint8Array, digest: string): Promise<void> {
    if (await this.blobExists(digest)) return;
    const location = await this.startUpload();
    const response = await this.request('PUT', withDigest(location, digest), {
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    if (response.status !== 201) throw await responseError(`uploading blob ${digest}`, response);
  }

  /**
   * Opens a blob upload session and returns its location. Doing it first proves the registry is
   * reachable and takes a push with these credentials, before anything is read or compressed.
   */
  async beginUpload(): Promise<string> {
    return this.startUpload();
  }

  /**
   * Streams a blob whose digest is known only at the end (compressed on the fly): one PATCH with
   * the whole stream, then the closing PUT with `digest()`; into `location` from beginUpload,
   * or a session of its own.
   */
  async uploadBlobStream(
    stream: ReadableStream<Uint8Array>,
    digest: () => string,
    location?: string,
  ): Promise<void> {
    location ??= await this.startUpload();
    const patched = await this.send('PATCH', location, {
      headers: { 'content-type': 'application/octet-stream' },
      body: stream,
    });
    if (patched.status !== 202) throw await responseError('uploading the disk image layer', patched);
    await patched.arrayBuffer();
    const next = patched.headers.get('location') ?? location;
    const closed = await this.request('PUT', withDigest(next, digest()));
    if (closed.status !== 201) throw await responseError(`completing the upload of ${digest()}`, closed);
  }

  /** Stores a manifest under a tag or digest; returns the digest the registry computed. */
  async putManifest(reference: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const response = await this.request('PUT', `/v2/${this.repository}/manifests/${reference}`, {
      headers: { 'content-type': mediaType },
      body: bytes,
    });
    if (response.status !== 201) throw await responseError(`storing the manifest ${reference}`, response);
    return response.headers.get('docker-content-digest') ?? '';
  }

  private async startUpload(): Promise<string> {
    const response = await this.request('POST', `/v2/${this.repository}/blobs/uploads/`);
    const location = response.headers.get('location');
    if (response.status !== 202 || location === null)
      throw await responseError('starting a blob upload', response);
    await response.arrayBuffer();
    return location;
  }

  private async send(
    method: string,
    pathOrUrl: string,
    init: { headers?: Record<string, string>; body?: Body | ReadableStream<Uint8Array> },
  ): Promise<Response> {
    const url = new URL(pathOrUrl, this.baseUrl);
    const headers = { ...init.headers, ...(this.authorization ? { authorization: this.authorization } : {}) };
    const streamed = init.body instanceof ReadableStream;
    try {
      return await fetch(url, {
        method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        ...(streamed ? { duplex: 'half' } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new OciError(
        'OCI_UNREACHABLE',
        `cannot reach the registry at ${this.baseUrl}: ${cause?.code ?? cause?.message ?? String(error)}`,
        { cause: error },
      );
    }
  }
}

function withDigest(location: string, digest: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}
