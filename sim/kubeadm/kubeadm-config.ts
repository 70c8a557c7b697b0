import { stringify } from 'yaml';
import { KubeadmBootstrapError, type KubeadmCloudConfig } from './cloud-config.js';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** kubeadm's `nodeRegistration` (v1beta3 and v1beta4). */
export interface NodeRegistration {
  /** As written (it may be a cloud-init jinja template); undefined: the host's name. */
  readonly name: string | undefined;
  /** Undefined: kubeadm's default (the control-plane taint on control planes, none on workers). */
  readonly taints: readonly Taint[] | undefined;
  /** v1beta4's list of `{name, value}` and v1beta3's map, as one map (the last value of a name wins). */
  readonly kubeletExtraArgs: Readonly<Record<string, string>>;
}

export interface InitPlan {
  readonly command: 'init';
  /** The ClusterConfiguration document as written, for the kubeadm-config ConfigMap. */
  readonly clusterConfigurationYaml: string;
  readonly clusterName: string;
  /** `host:port` (ClusterConfiguration.controlPlaneEndpoint); undefined: the node's own address. */
  readonly controlPlaneEndpoint: { readonly host: string; readonly port: number } | undefined;
  readonly serviceSubnet: string;
  readonly podSubnet: string | undefined;
  readonly bindPort: number;
  readonly registration: NodeRegistration;
}

export interface JoinPlan {
  readonly command: 'join';
  readonly token: string;
  /** `host:port` of the API server to discover the cluster from. */
  readonly apiServerEndpoint: string;
  /** `sha256:<hex>` pins of the cluster CA's public key; empty only with unsafeSkipCAVerification. */
  readonly caCertHashes: readonly string[];
  readonly unsafeSkipCAVerification: boolean;
  /** `controlPlane:` was set: this node joins the control plane. */
  readonly controlPlane: boolean;
  readonly bindPort: number;
  readonly registration: NodeRegistration;
}

export type KubeadmPlan = InitPlan | JoinPlan;

/** What the kubeadm config documents of the bootstrap data ask for. */
export function kubeadmPlan(config: KubeadmCloudConfig): KubeadmPlan {
  const ofKind = (kind: string): Record<string, unknown> | undefined =>
    config.kubeadmDocuments.find((document) => document.kind === kind);
  if (config.command === 'init')
    return initPlan(ofKind('ClusterConfiguration') ?? {}, ofKind('InitConfiguration') ?? {});
  const join = ofKind('JoinConfiguration');
  if (join === undefined) throw new KubeadmBootstrapError('JoinConfiguration', 'missing');
  return joinPlan(join);
}

function initPlan(cluster: Record<string, unknown>, init: Record<string, unknown>): InitPlan {
  const networking = object(cluster.networking);
  const endpoint = stringOf(cluster.controlPlaneEndpoint);
  return {
    command: 'init',
    clusterConfigurationYaml: stringify(cluster),
    clusterName: stringOf(cluster.clusterName) ?? 'kubernetes',
    controlPlaneEndpoint: endpoint ? hostPort(endpoint, 'controlPlaneEndpoint') : undefined,
    serviceSubnet: stringOf(networking.serviceSubnet) ?? '10.96.0.0/12',
    podSubnet: stringOf(networking.podSubnet),
    bindPort: port(object(init.localAPIEndpoint).bindPort),
    registration: registration(init.nodeRegistration),
  };
}

function joinPlan(join: Record<string, unknown>): JoinPlan {
  const bootstrapToken = object(object(join.discovery).bootstrapToken);
  const token = stringOf(bootstrapToken.token);
  const apiServerEndpoint = stringOf(bootstrapToken.apiServerEndpoint);
  if (token === undefined || apiServerEndpoint === undefined)
    throw new KubeadmBootstrapError(
      'JoinConfiguration.discovery.bootstrapToken',
      'token and apiServerEndpoint are required (file discovery is not supported here)',
    );
  const hashes = Array.isArray(bootstrapToken.caCertHashes) ? (bootstrapToken.caCertHashes as unknown[]) : [];
  return {
    command: 'join',
    token,
    apiServerEndpoint,
    caCertHashes: hashes.filter((hash): hash is string => typeof hash === 'string'),
    unsafeSkipCAVerification: bootstrapToken.unsafeSkipCAVerification === true,
    controlPlane: join.controlPlane !== undefined && join.controlPlane !== null,
    bindPort: port(object(object(join.controlPlane).localAPIEndpoint).bindPort),
    registration: registration(join.nodeRegistration),
  };
}

/** `host:port` split; `[v6]:port` allowed; a missing port is 6443 as kubeadm assumes. */
export function hostPort(value: string, field: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(value);
  const host = match?.[1] ?? match?.[2];
  if (host === undefined)
    throw new KubeadmBootstrapError(field, `${JSON.stringify(value.slice(0, 80))} is not host:port`);
  return { host, port: match?.[3] === undefined ? 6443 : Number(match[3]) };
}

function registration(value: unknown): NodeRegistration {
  const record = object(value);
  return {
    name: stringOf(record.name),
    taints: Array.isArray(record.taints) ? record.taints.map(taint) : undefined,
    kubeletExtraArgs: extraArgs(record.kubeletExtraArgs),
  };
}

function taint(value: unknown, index: number): Taint {
  const record = object(value);
  const key = stringOf(record.key);
  const effect = stringOf(record.effect);
  if (key === undefined || effect === undefined)
    throw new KubeadmBootstrapError(`nodeRegistration.taints[${index}]`, 'key and effect are required');
  const value_ = stringOf(record.value);
  return { key, effect, ...(value_ === undefined ? {} : { value: value_ }) };
}

function extraArgs(value: unknown): Record<string, string> {
  const args: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      const record = object(entry);
      const name = stringOf(record.name);
      if (name !== undefined) args[name] = scalarText(record.value);
    }
  } else for (const [name, arg] of Object.entries(object(value))) args[name] = scalarText(arg);
  return args;
}

function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

function port(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536 ? value : 6443;
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
