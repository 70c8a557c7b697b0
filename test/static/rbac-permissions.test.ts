import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import {
  clusterKind,
  eventKind,
  leaseKind,
  machineKind,
  secretKind,
  type KindRef,
} from '../../src/kube/index.js';
import {
  bareMetalHosts,
  bareMetalMachines,
  hcloudMachines,
  hetznerClusters,
} from '../../src/reconcilers/shared/kinds.js';
import { hcloudRemediations } from '../../src/reconcilers/hcloud-remediation/index.js';
import { REQUIRED_PERMISSIONS, type RequiredPermission } from '../../src/setup/required-permissions.js';
import { renderShippedManifests } from '../support/shipped-manifests.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Rule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

/** `group resource verb` for each combination the rules grant. */
function grants(rules: readonly Rule[]): Set<string> {
  return new Set(
    rules.flatMap((rule) =>
      (rule.apiGroups ?? []).flatMap((group) =>
        (rule.resources ?? []).flatMap((resource) =>
          rule.verbs.map((verb) => `${group || 'core'} ${resource} ${verb}`),
        ),
      ),
    ),
  );
}

function declared(scope: RequiredPermission['scope']): Set<string> {
  return new Set(
    REQUIRED_PERMISSIONS.filter((permission) => permission.scope === scope).flatMap((permission) =>
      permission.verbs.map((verb) => `${permission.group || 'core'} ${permission.resource} ${verb}`),
    ),
  );
}

async function rbacObjects(): Promise<{ kind: string; metadata: { name: string }; rules?: Rule[] }[]> {
  const dir = join(root, 'config/rbac');
  const files = (await readdir(dir)).filter(
    (file) => file.endsWith('.yaml') && file !== 'kustomization.yaml',
  );
  const texts = await Promise.all(files.map(async (file) => readFile(join(dir, file), 'utf8')));
  return texts.flatMap((text) => parseAllDocuments(text).map((document) => document.toJS() as never));
}

async function rulesOf(kind: string, name: string): Promise<Rule[]> {
  const object = (await rbacObjects()).find((item) => item.kind === kind && item.metadata.name === name);
  return object?.rules ?? assert.fail(`config/rbac has no ${kind} ${name}`);
}

function difference(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((item) => !b.has(item)).sort();
}

// The kinds a client call or informer may name in src/, by the identifier the code uses.
const KINDS: Readonly<Record<string, KindRef | 'everyone-may'>> = {
  secretKind,
  eventKind,
  leaseKind,
  machineKind,
  clusterKind,
  hcloudMachines,
  hetznerClusters,
  hetznerClustersKind: hetznerClusters,
  bareMetalMachines,
  bareMetalHosts,
  hcloudRemediations,
  // selfsubjectreviews: granted to every authenticated user by system:basic-user.
  selfSubjectReviewKind: 'everyone-may',
};

const CALL_VERBS: Readonly<Record<string, readonly string[]>> = {
  find: ['get'],
  get: ['get'],
  list: ['list'],
  create: ['create'],
  replace: ['update'],
  mergePatch: ['patch'],
  delete: ['delete'],
  informer: ['list', 'watch'],
};

interface Use {
  readonly where: string;
  readonly identifier: string;
  readonly verbs: readonly string[];
}

const CALL = /\.(find|get|list|create|replace|mergePatch|delete|informer)(?:<[^>()]*>)?\(\s*(\w+)\s*[,)]/g;
/**
 * Informers built directly (the Lease watch), the reconcilers' own kinds (reads, finalizers), and
 * finalizer edits of other kinds (`{ client, kind: secretKind, object, finalizer }` for
 * addFinalizer/removeFinalizer, which merge-patch metadata.finalizers).
 */
const CONSTRUCTED: readonly [RegExp, readonly string[]][] = [
  [/new Informer<[^>]*>\([^,]+,\s*\{\s*kind:\s*(\w+)/g, ['list', 'watch']],
  [/new ObjectReconciler<[^>]*>\(\{\s*kind:\s*(\w+)/g, ['get']],
  // Its finalizer, when it has one, is added and removed by merge patch.
  [/new ObjectReconciler<[^>]*>\(\{\s*kind:\s*(\w+),(?:(?!\}\);)[\s\S])*?\bfinalizer\b/g, ['patch']],
  [/\bkind:\s*(\w+),\s*object:\s*[\w.]+,\s*finalizer\b/g, ['patch']],
];

/** Client calls and informers whose kind argument is a named KindRef (`client.find(secretKind, …)`). */
function usesIn(file: string, text: string): Use[] {
  const line = (index: number): string => `${file}:${text.slice(0, index).split('\n').length}`;
  const calls = [...text.matchAll(CALL)]
    .filter(([, , identifier = '']) => /Kinds?$/.test(identifier) || identifier in KINDS)
    .map(([, method = '', identifier = ''], index, all) => ({
      where: line(all[index]?.index ?? 0),
      identifier,
      verbs: CALL_VERBS[method] ?? [],
    }));
  const constructed = CONSTRUCTED.flatMap(([pattern, verbs]) =>
    [...text.matchAll(pattern)].map((match) => ({
      where: line(match.index),
      identifier: match[1] ?? '',
      verbs,
    })),
  );
  return [...calls, ...constructed];
}

/** What `use` asks for that REQUIRED_PERMISSIONS lacks, as messages. */
function undeclared(use: Use, all: Set<string>): string[] {
  const kind = KINDS[use.identifier];
  if (kind === 'everyone-may') return [];
  if (kind === undefined)
    return [`${use.where}: unknown kind ${use.identifier}; add it to this test's KINDS`];
  return use.verbs
    .filter((verb) => !all.has(`${kind.group || 'core'} ${kind.plural} ${verb}`))
    .map((verb) => `${use.where}: ${verb} ${kind.plural} is not in REQUIRED_PERMISSIONS`);
}

async function controllerSources(dir = join(root, 'src')): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.includes('/src/demo/') && !path.includes('/src/webhooks/server/write-'));
}

describe('the shipped RBAC (config/rbac)', () => {
  it('grants exactly the requests src/setup/required-permissions.ts declares, cluster-wide', async () => {
    const granted = grants(await rulesOf('ClusterRole', 'system-manager-role'));
    const wanted = declared('cluster');
    assert.deepEqual(difference(wanted, granted), [], 'declared but not granted by the ClusterRole');
    assert.deepEqual(difference(granted, wanted), [], 'granted by the ClusterRole but never declared');
  });

  it('grants the leader-election Role exactly the Lease requests', async () => {
    const granted = grants(await rulesOf('Role', 'leader-election-role'));
    const wanted = declared('leader-election');
    assert.deepEqual(difference(wanted, granted), [], 'declared but not granted by the Role');
    assert.deepEqual(difference(granted, wanted), [], 'granted by the Role but never declared');
  });

  it('has no wildcard verb, resource or group and lets only the metrics reader read /metrics', async () => {
    for (const object of await rbacObjects()) {
      for (const rule of object.rules ?? []) {
        const fields = [...rule.verbs, ...(rule.resources ?? []), ...(rule.apiGroups ?? [])];
        assert.ok(
          !fields.some((field) => field.includes('*')),
          `${object.metadata.name}: ${JSON.stringify(rule)}`,
        );
      }
    }
    assert.deepEqual(await rulesOf('ClusterRole', 'system-metrics-reader'), [
      { nonResourceURLs: ['/metrics'], verbs: ['get'] },
    ]);
  });

  it('declares every kind and verb the controller code asks the apiserver for', async () => {
    const all = new Set([...declared('cluster'), ...declared('leader-election')]);
    const missing: string[] = [];
    for (const file of await controllerSources())
      for (const use of usesIn(relative(root, file), await readFile(file, 'utf8')))
        missing.push(...undeclared(use, all));
    assert.deepEqual(missing, []);
  });

  it('finds the client calls it checks (the scan still matches the code)', async () => {
    const found = new Set<string>();
    for (const file of await controllerSources())
      for (const use of usesIn(relative(root, file), await readFile(file, 'utf8'))) found.add(use.identifier);
    for (const identifier of [
      'secretKind',
      'machineKind',
      'leaseKind',
      'eventKind',
      'hcloudMachines',
      'bareMetalHosts',
    ])
      assert.ok(found.has(identifier), `no client call or informer names ${identifier} any more`);
  });
});

describe('the namespaced install (config/namespaced)', () => {
  it('binds the ServiceAccount to a Role in the watched namespace with exactly the declared rules, and no ClusterRole', async () => {
    const manifests = await renderShippedManifests('config/namespaced');
    const watched = manifests.manager.env['IMAGEURL_NAMESPACE'] ?? '';
    assert.notEqual(watched, '', 'the Deployment watches one namespace');
    const bound = Object.keys(manifests.boundRules).sort();
    assert.deepEqual(
      bound,
      [
        `Role ${watched}/imageurl-system-manager-role`,
        'Role imageurl-system/imageurl-leader-election-role',
      ].sort(),
    );
    const granted = grants(manifests.boundRules[`Role ${watched}/imageurl-system-manager-role`] ?? []);
    const wanted = declared('cluster');
    assert.deepEqual(difference(wanted, granted), [], 'declared but not granted by the Role');
    assert.deepEqual(difference(granted, wanted), [], 'granted by the Role but never declared');
    assert.ok(
      !manifests.objects.some(
        (object) => object.metadata.name === 'imageurl-system-manager-role' && object.kind === 'ClusterRole',
      ),
    );
  });
});
