// What `kubectl kustomize config/default` renders, as an installation applies it: the RBAC
// objects (Namespace, ServiceAccount, roles, bindings) and the manager container of the
// Deployment. Tests use these instead of copies, so they check what is shipped.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findAsset } from '../../sim/kube-control-plane/index.js';
import { objectsOf, REPO_ROOT, type K8sObject } from './release-output.js';

export interface RbacRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

export interface ManagerContainer {
  readonly args: readonly string[];
  /** The literal env values (`valueFrom` entries are listed in `fromSecrets`). */
  readonly env: Readonly<Record<string, string>>;
  readonly fromSecrets: readonly string[];
}

export interface ShippedManifests {
  readonly objects: readonly K8sObject[];
  /** Namespace, ServiceAccount, ClusterRoles, Roles and their bindings, in an order that applies. */
  readonly rbac: readonly K8sObject[];
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /** The rules of every role bound to the ServiceAccount, by `Kind namespace/name`. */
  readonly boundRules: Readonly<Record<string, readonly RbacRule[]>>;
  readonly manager: ManagerContainer;
}

const RBAC_KINDS = [
  'Namespace',
  'ServiceAccount',
  'ClusterRole',
  'Role',
  'ClusterRoleBinding',
  'RoleBinding',
];

interface Binding extends K8sObject {
  roleRef: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
}

function only<T>(items: readonly T[], what: string): T {
  if (items.length !== 1) throw new Error(`config/default renders ${items.length} ${what}; expected 1`);
  return items[0] as T;
}

function managerOf(objects: readonly K8sObject[]): ManagerContainer {
  const deployment = only(
    objects.filter((object) => object.kind === 'Deployment'),
    'Deployments',
  ) as K8sObject & { spec: { template: { spec: { containers: Container[] } } } };
  const container = only(
    deployment.spec.template.spec.containers.filter((candidate) => candidate.name === 'manager'),
    'containers named manager',
  );
  const env = container.env ?? [];
  return {
    args: container.args ?? [],
    env: Object.fromEntries(
      env.filter((entry) => entry.valueFrom === undefined).map((entry) => [entry.name, entry.value ?? '']),
    ),
    fromSecrets: env.filter((entry) => entry.valueFrom !== undefined).map((entry) => entry.name),
  };
}

function boundRulesOf(
  objects: readonly K8sObject[],
  account: ShippedManifests['serviceAccount'],
): Record<string, RbacRule[]> {
  const bindings = objects.filter((object): object is Binding =>
    ['ClusterRoleBinding', 'RoleBinding'].includes(object.kind),
  );
  const bound = bindings.filter((binding) =>
    (binding.subjects ?? []).some(
      (subject) =>
        subject.kind === 'ServiceAccount' &&
        subject.name === account.name &&
        subject.namespace === account.namespace,
    ),
  );
  return Object.fromEntries(
    bound.map((binding) => {
      const role = objects.find(
        (object) =>
          object.kind === binding.roleRef.kind &&
          object.metadata.name === binding.roleRef.name &&
          (object.kind === 'ClusterRole' || object.metadata.namespace === binding.metadata.namespace),
      ) as (K8sObject & { rules?: RbacRule[] }) | undefined;
      if (role === undefined)
        throw new Error(`${binding.kind} ${binding.metadata.name} names a missing ${binding.roleRef.kind}`);
      const where = role.metadata.namespace === undefined ? '' : `${role.metadata.namespace}/`;
      return [`${role.kind} ${where}${role.metadata.name}`, role.rules ?? []];
    }),
  );
}

/**
 * Renders config/default (or another kustomization of config/, like config/namespaced) with the
 * project's kubectl and picks out what the tests apply and run.
 */
export async function renderShippedManifests(kustomization = 'config/default'): Promise<ShippedManifests> {
  const { stdout } = await promisify(execFile)(
    findAsset('kubectl'),
    ['kustomize', join(REPO_ROOT, kustomization)],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const objects = objectsOf(stdout);
  const rbac = RBAC_KINDS.flatMap((kind) => objects.filter((object) => object.kind === kind));
  const account = only(
    objects.filter((object) => object.kind === 'ServiceAccount'),
    'ServiceAccounts',
  );
  const serviceAccount = { namespace: account.metadata.namespace ?? '', name: account.metadata.name };
  return {
    objects,
    rbac,
    serviceAccount,
    boundRules: boundRulesOf(objects, serviceAccount),
    manager: managerOf(objects),
  };
}
