// kube-apiserver's audit log, read back: which requests one user made, which were denied, and
// which grants of its roles it never used.
import { readFile, writeFile } from 'node:fs/promises';
import type { RbacRule } from './shipped-manifests.js';

/** An audit.k8s.io Policy recording every request of `username` at level Metadata, nothing else. */
export async function writeAuditPolicy(path: string, username: string): Promise<void> {
  const policy = {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [{ level: 'Metadata', users: [username] }, { level: 'None' }],
  };
  await writeFile(path, JSON.stringify(policy));
}

export interface AuditedRequest {
  readonly verb: string;
  /** `core` for the core group. */
  readonly group: string;
  /** `plural` or `plural/subresource`; empty for a non-resource URL. */
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  readonly uri: string;
  readonly code: number;
}

interface AuditEvent {
  auditID: string;
  stage: string;
  verb: string;
  requestURI: string;
  user?: { username?: string };
  objectRef?: {
    apiGroup?: string;
    resource?: string;
    subresource?: string;
    namespace?: string;
    name?: string;
  };
  responseStatus?: { code?: number };
}

/**
 * `username`'s requests, one per audit ID: its last stage (a watch still open has only
 * ResponseStarted; every other request ends with ResponseComplete or Panic).
 */
export async function auditedRequests(logPath: string, username: string): Promise<AuditedRequest[]> {
  const text = await readFile(logPath, 'utf8');
  const last = new Map<string, AuditEvent>();
  for (const line of text.split('\n').filter((candidate) => candidate.trim() !== '')) {
    const event = JSON.parse(line) as AuditEvent;
    if (event.user?.username === username) last.set(event.auditID, event);
  }
  return [...last.values()].map((event) => {
    const ref = event.objectRef ?? {};
    const resource =
      ref.resource === undefined ? '' : `${ref.resource}${ref.subresource ? `/${ref.subresource}` : ''}`;
    return {
      verb: event.verb,
      group: ref.apiGroup || 'core',
      resource,
      namespace: ref.namespace ?? '',
      name: ref.name ?? '',
      uri: event.requestURI,
      code: event.responseStatus?.code ?? 0,
    };
  });
}

/** `group resource verb` of a request or grant. */
export const grantKey = (group: string, resource: string, verb: string): string =>
  `${group || 'core'} ${resource} ${verb}`;

/** Every `group resource verb` the rules grant (resource rules only). */
export function grantsOf(rules: readonly RbacRule[]): string[] {
  return rules.flatMap((rule) =>
    (rule.apiGroups ?? []).flatMap((group) =>
      (rule.resources ?? []).flatMap((resource) => rule.verbs.map((verb) => grantKey(group, resource, verb))),
    ),
  );
}

/** How many requests (that were not denied) used each `group resource verb`, sorted by key. */
export function usage(requests: readonly AuditedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests.filter((candidate) => candidate.resource !== '' && candidate.code !== 403)) {
    const key = grantKey(request.group, request.resource, request.verb);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** Denied requests, one line each: `403 verb group resource namespace/name (uri)`. */
export function denied(requests: readonly AuditedRequest[]): string[] {
  return requests
    .filter((request) => request.code === 403)
    .map(
      (request) =>
        `403 ${request.verb} ${request.group} ${request.resource || '(non-resource)'} ${request.namespace}/${request.name} (${request.uri})`,
    );
}

/** One audited request: who asked (its User-Agent) for which URI. */
export interface AgentRequest {
  readonly userAgent: string;
  readonly verb: string;
  readonly uri: string;
  readonly code: number;
}

/** Every completed request in the audit log whose URI `select` picks, with its User-Agent. */
export async function requestsByAgent(
  logPath: string,
  select: (uri: string) => boolean,
): Promise<AgentRequest[]> {
  const text = await readFile(logPath, 'utf8');
  const requests: AgentRequest[] = [];
  for (const line of text.split('\n').filter((candidate) => candidate.trim() !== '')) {
    const event = JSON.parse(line) as AuditEvent & { userAgent?: string };
    if (event.stage !== 'ResponseComplete' || !select(event.requestURI)) continue;
    requests.push({
      userAgent: event.userAgent ?? '',
      verb: event.verb,
      uri: event.requestURI,
      code: event.responseStatus?.code ?? 0,
    });
  }
  return requests;
}
