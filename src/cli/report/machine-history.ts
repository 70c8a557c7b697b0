import { HCLOUD_MACHINE_STATE_ANNOTATION, HOST_STATE_ANNOTATION } from '../../../api/v1beta1/annotations.js';
import type { KindRef, KubeClient, KubeObject } from '../../kube/index.js';
import { bareMetalHosts, hcloudMachines } from '../../reconcilers/shared/kinds.js';
import { historyOfAnnotation } from '../../reconcilers/shared/state-history-annotation.js';
import type { StateChange } from '../../state-machine/index.js';

/** The two kinds whose states the report follows, with where each keeps its state. */
export interface ReportKind {
  readonly kind: 'HCloudMachine' | 'HetznerBareMetalHost';
  readonly ref: KindRef;
  readonly annotation: string;
  readonly state: (object: KubeObject) => string;
}

interface WithStates extends KubeObject {
  readonly status?: { readonly bootState?: string };
  readonly spec?: { readonly status?: { readonly provisioningState?: string } };
}

export const reportKinds: readonly ReportKind[] = [
  {
    kind: 'HCloudMachine',
    ref: hcloudMachines,
    annotation: HCLOUD_MACHINE_STATE_ANNOTATION,
    state: (object) => (object as WithStates).status?.bootState ?? '',
  },
  {
    kind: 'HetznerBareMetalHost',
    ref: bareMetalHosts,
    annotation: HOST_STATE_ANNOTATION,
    state: (object) => (object as WithStates).spec?.status?.provisioningState ?? '',
  },
];

/** One object's recorded state changes, as the controller kept them on it. */
export interface MachineHistory {
  readonly kind: ReportKind['kind'];
  readonly namespace: string;
  readonly name: string;
  readonly state: string;
  readonly changes: readonly StateChange<string>[];
}

export interface HistoryQuery {
  /** All namespaces when undefined. */
  readonly namespace: string | undefined;
  readonly selector: string | undefined;
}

/** Every object of both kinds that the query selects, sorted by kind, namespace and name. */
export async function readMachineHistories(
  client: KubeClient,
  query: HistoryQuery,
): Promise<MachineHistory[]> {
  const lists = await Promise.all(
    reportKinds.map(async (kind) => {
      const objects = await listAll(client, kind.ref, query);
      return objects.map((object) => historyOf(kind, object));
    }),
  );
  return lists.flat();
}

function historyOf(kind: ReportKind, object: KubeObject): MachineHistory {
  return {
    kind: kind.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name ?? '',
    state: kind.state(object),
    changes: historyOfAnnotation(object.metadata.annotations?.[kind.annotation]),
  };
}

async function listAll(client: KubeClient, kind: KindRef, query: HistoryQuery): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.list<KubeObject>(kind, {
      ...(query.namespace === undefined ? {} : { namespace: query.namespace }),
      ...(query.selector === undefined ? {} : { labelSelector: query.selector }),
      limit: 500,
      ...(token === undefined ? {} : { continue: token }),
    });
    objects.push(...page.items);
    token = page.metadata.continue || undefined;
  } while (token !== undefined);
  return objects.sort((a, b) =>
    `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`.localeCompare(
      `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`,
    ),
  );
}
