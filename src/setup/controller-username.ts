/**
 * Whose writes the admission webhook treats as the controller's (only they may change its
 * bookkeeping annotations): the operator's `--controller-username`, else this process's own
 * identity, asked from the apiserver. The latter fits the usual setup, where the webhook runs
 * in the controller's process or at least under its ServiceAccount.
 */
import {
  KubeClient,
  KubeTransport,
  loadKubeConfig,
  reviewSelf,
  type KubeConfigSource,
} from '../kube/index.js';

/** The controller's username could not be learned: start-up stops, naming the way out. */
export class ControllerUsernameError extends Error {
  override readonly name = 'ControllerUsernameError';
  readonly code = 'CONTROLLER_USERNAME_UNKNOWN';
}

/** The override when given, else who `client` is to the apiserver. */
export async function resolveControllerUsername(
  override: string | undefined,
  client: KubeClient,
  signal?: AbortSignal,
): Promise<string> {
  if (override !== undefined) return override;
  try {
    return (await reviewSelf(client, signal)).username;
  } catch (error) {
    throw unknownUsername(error);
  }
}

function unknownUsername(error: unknown): ControllerUsernameError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ControllerUsernameError(
    `cannot learn the controller's username from the apiserver (SelfSubjectReview): ${reason}; name it with --controller-username`,
    { cause: error },
  );
}

/**
 * The same for a process without a controller runtime (`imageurl webhook`): a client of its
 * own kubeconfig (flag, $KUBECONFIG, in-cluster, ~/.kube/config) for this one request.
 */
export async function resolveControllerUsernameFrom(
  override: string | undefined,
  source: KubeConfigSource,
  requestTimeoutMs = 30_000,
): Promise<string> {
  if (override !== undefined) return override;
  let config;
  try {
    config = loadKubeConfig(source).config;
  } catch (error) {
    throw unknownUsername(error);
  }
  const transport = new KubeTransport(config, {
    requestTimeoutMs,
    userAgent: 'imageurl-webhook',
  });
  try {
    return await resolveControllerUsername(undefined, new KubeClient(transport, 'imageurl-webhook'));
  } finally {
    transport.close();
  }
}
