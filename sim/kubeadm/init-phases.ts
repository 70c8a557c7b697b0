import { stringify } from 'yaml';
import type { KubeRest } from './kube-rest.js';

/** kubeadm's group of the default bootstrap tokens (Cluster API's tokens carry it too). */
export const BOOTSTRAPPERS = 'system:bootstrappers:kubeadm:default-node-token';

export interface InitObjects {
  readonly clusterConfigurationYaml: string;
  readonly caPem: string;
  /** `https://host:port` of the control-plane endpoint, as cluster-info names it. */
  readonly endpoint: string;
}

const rbac = 'rbac.authorization.k8s.io';

/**
 * What `kubeadm init`'s phases create in the API that Cluster API reads or joins need:
 * upload-config (kubeadm-config, kubelet-config and who may read them), bootstrap-token
 * (cluster-info for anonymous discovery; node bootstrapping, CSR auto-approval and certificate
 * rotation), and kubeadm:cluster-admins. Creating what exists is not an error (a reboot re-runs it).
 */
export async function createInitObjects(client: KubeRest, input: InitObjects): Promise<void> {
  const kubeletConfig = stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    clusterDNS: ['10.96.0.10'],
    clusterDomain: 'cluster.local',
  });
  const clusterInfo = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: '',
        cluster: {
          'certificate-authority-data': Buffer.from(input.caPem).toString('base64'),
          server: input.endpoint,
        },
      },
    ],
    contexts: [],
    'current-context': '',
    preferences: {},
    users: [],
  });
  const objects: [string, Record<string, unknown>][] = [
    [
      '/api/v1/namespaces/kube-system/configmaps',
      configMap('kubeadm-config', 'kube-system', { ClusterConfiguration: input.clusterConfigurationYaml }),
    ],
    [
      '/api/v1/namespaces/kube-system/configmaps',
      configMap('kubelet-config', 'kube-system', { kubelet: kubeletConfig }),
    ],
    [
      '/api/v1/namespaces/kube-public/configmaps',
      configMap('cluster-info', 'kube-public', { kubeconfig: clusterInfo }),
    ],
    ...readConfigMap(['kube-system', 'kubeadm:nodes-kubeadm-config'], 'kubeadm-config', [
      BOOTSTRAPPERS,
      'system:nodes',
    ]),
    ...readConfigMap(['kube-system', 'kubeadm:kubelet-config'], 'kubelet-config', [
      BOOTSTRAPPERS,
      'system:nodes',
    ]),
    ...readConfigMap(
      ['kube-public', 'kubeadm:bootstrap-signer-clusterinfo'],
      'cluster-info',
      [],
      ['system:anonymous'],
    ),
    clusterRole('kubeadm:get-nodes', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]),
    clusterBinding('kubeadm:get-nodes', 'kubeadm:get-nodes', BOOTSTRAPPERS),
    clusterBinding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', BOOTSTRAPPERS),
    clusterBinding(
      'kubeadm:node-autoapprove-bootstrap',
      'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
      BOOTSTRAPPERS,
    ),
    clusterBinding(
      'kubeadm:node-autoapprove-certificate-rotation',
      'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
      'system:nodes',
    ),
    clusterBinding('kubeadm:cluster-admins', 'cluster-admin', 'kubeadm:cluster-admins'),
  ];
  for (const [path, body] of objects) await client.expect(client.post(path, body), `create ${path}`, [409]);
}

function configMap(name: string, namespace: string, data: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

/** A Role to get one ConfigMap and its RoleBinding to groups (and users). */
function readConfigMap(
  [namespace, name]: readonly [string, string],
  configMapName: string,
  groups: readonly string[],
  users: readonly string[] = [],
): [string, Record<string, unknown>][] {
  const base = `/apis/${rbac}/v1/namespaces/${namespace}`;
  return [
    [
      `${base}/roles`,
      {
        metadata: { name, namespace },
        rules: [
          { apiGroups: [''], resources: ['configmaps'], resourceNames: [configMapName], verbs: ['get'] },
        ],
      },
    ],
    [
      `${base}/rolebindings`,
      {
        metadata: { name, namespace },
        roleRef: { apiGroup: rbac, kind: 'Role', name },
        subjects: [
          ...groups.map((group) => ({ apiGroup: rbac, kind: 'Group', name: group })),
          ...users.map((user) => ({ apiGroup: rbac, kind: 'User', name: user })),
        ],
      },
    ],
  ];
}

function clusterRole(
  name: string,
  rules: readonly Record<string, unknown>[],
): [string, Record<string, unknown>] {
  return [`/apis/${rbac}/v1/clusterroles`, { metadata: { name }, rules }];
}

/** A ClusterRoleBinding of a ClusterRole to a group (or a user: `user:<name>`). */
export function clusterBinding(
  name: string,
  role: string,
  subject: string,
): [string, Record<string, unknown>] {
  const user = subject.startsWith('user:');
  return [
    `/apis/${rbac}/v1/clusterrolebindings`,
    {
      metadata: { name },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: rbac, kind: user ? 'User' : 'Group', name: user ? subject.slice(5) : subject }],
    },
  ];
}
