/**
 * Who the apiserver takes this client for. The controller needs its own username to tell its
 * writes apart from everyone else's (the admission webhook lets only it change its bookkeeping).
 */
import { KubeApiError } from './errors.js';
import type { KindRef } from './kinds.js';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './objects.js';

/** `authentication.k8s.io/v1` SelfSubjectReview: GA since Kubernetes 1.28; every authenticated user may create one. */
export const selfSubjectReviewKind: KindRef = {
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  namespaced: false,
};

export interface UserIdentity {
  /** `system:serviceaccount:<namespace>:<name>` for a ServiceAccount. */
  readonly username: string;
  readonly groups: readonly string[];
}

interface SelfSubjectReview extends KubeObject {
  readonly status?: { readonly userInfo?: { readonly username?: unknown; readonly groups?: unknown } };
}

/**
 * This client's identity as the apiserver authenticated it. Rejects with KUBE_BAD_RESPONSE when
 * the answer names no user, and with the request's own error otherwise (KUBE_NOT_FOUND: an
 * apiserver older than 1.28).
 */
export async function reviewSelf(client: KubeClient, signal?: AbortSignal): Promise<UserIdentity> {
  const review = await client.create<SelfSubjectReview>(
    selfSubjectReviewKind,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} },
    signal,
  );
  const userInfo = review.status?.userInfo;
  const username = userInfo?.username;
  if (typeof username !== 'string' || username === '')
    throw new KubeApiError(
      'KUBE_BAD_RESPONSE',
      'POST /apis/authentication.k8s.io/v1/selfsubjectreviews: the answer names no user (status.userInfo.username is empty)',
    );
  const groups = Array.isArray(userInfo?.groups)
    ? userInfo.groups.filter((group): group is string => typeof group === 'string')
    : [];
  return { username, groups };
}
