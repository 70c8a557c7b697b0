import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { field, jsonEqual, stringField } from '../object-fields.js';

/** Hetzner Cloud locations and their network zones (CAPH's table). */
const NETWORK_ZONES: Record<string, string> = {
  fsn1: 'eu-central',
  nbg1: 'eu-central',
  hel1: 'eu-central',
  ash: 'us-east',
  hil: 'us-west',
  sin: 'ap-southeast',
};
const ALLOW_EMPTY_ENDPOINT = 'capi.syself.com/allow-empty-control-plane-address';

function regions(spec: unknown): string[] {
  const value = field(spec, 'controlPlaneRegions');
  return Array.isArray(value) ? value.map(String) : [];
}

function networkZoneError(list: string[], zone = NETWORK_ZONES[list[0] ?? '']): FieldError[] {
  if (list.length === 0 || list.every((region) => NETWORK_ZONES[region] === zone)) return [];
  return [fieldError.invalid('spec.controlPlaneRegions', list, 'regions are not in one network zone')];
}

function secretKeyErrors(spec: unknown): FieldError[] {
  const key = field(spec, 'hetznerSecretRef', 'key');
  const hasRobot =
    stringField(key, 'hetznerRobotUser') !== '' && stringField(key, 'hetznerRobotPassword') !== '';
  if (stringField(key, 'hcloudToken') !== '' || hasRobot) return [];
  return [
    fieldError.invalid(
      'spec.hetznerSecretRef.key',
      key ?? {},
      'need to specify credentials for either HCloud or Hetzner robot',
    ),
  ];
}

function endpointErrors(object: unknown, spec: unknown): FieldError[] {
  const allowEmpty = stringField(object, 'metadata', 'annotations', ALLOW_EMPTY_ENDPOINT) === 'true';
  const errors: FieldError[] = [];
  if (!allowEmpty && regions(spec).length === 0) {
    errors.push(
      fieldError.invalid('spec.controlPlaneRegions', [], 'control plane regions must not be empty'),
    );
  }
  const loadBalancer = field(spec, 'controlPlaneLoadBalancer', 'enabled') === true;
  const endpoint = field(spec, 'controlPlaneEndpoint');
  if (!allowEmpty && !loadBalancer && (stringField(endpoint, 'host') === '' || !field(endpoint, 'port'))) {
    errors.push(
      fieldError.invalid(
        'spec.controlPlaneEndpoint',
        endpoint ?? null,
        'controlPlaneEndpoint has to be specified if controlPlaneLoadBalancer is not enabled',
      ),
    );
  }
  return errors;
}

function createErrors(object: unknown): FieldError[] {
  const spec = field(object, 'spec');
  const list = regions(spec);
  const errors = endpointErrors(object, spec);
  if (list.some((region) => !(region in NETWORK_ZONES))) {
    errors.push(
      fieldError.invalid(
        'spec.controlPlaneRegions',
        list,
        `wrong control plane region. Should be ${Object.keys(NETWORK_ZONES).join(', ')}`,
      ),
    );
  }
  if (
    field(spec, 'controlPlaneLoadBalancer', 'enabled') === true &&
    stringField(spec, 'controlPlaneLoadBalancer', 'region') === ''
  ) {
    errors.push(
      fieldError.invalid(
        'spec.controlPlaneLoadBalancer.region',
        '',
        'region should not be empty if load balancer is enabled',
      ),
    );
  }
  if (field(spec, 'hcloudNetwork', 'enabled') !== true) errors.push(...networkZoneError(list));
  return [...errors, ...secretKeyErrors(spec)];
}

function updateErrors(oldObject: unknown, object: unknown): FieldError[] {
  const [oldSpec, spec] = [field(oldObject, 'spec'), field(object, 'spec')];
  const errors: FieldError[] = [];
  const immutable = [
    ['hcloudNetwork'],
    ['controlPlaneLoadBalancer', 'enabled'],
    ['controlPlaneLoadBalancer', 'port'],
    ['controlPlaneLoadBalancer', 'region'],
  ];
  for (const path of immutable) {
    if (!jsonEqual(field(oldSpec, ...path), field(spec, ...path))) {
      errors.push(
        fieldError.invalid(`spec.${path.join('.')}`, field(spec, ...path) ?? null, 'field is immutable'),
      );
    }
  }
  if (field(oldSpec, 'hcloudNetwork', 'enabled') === true)
    errors.push(...networkZoneError(regions(spec), NETWORK_ZONES[regions(oldSpec)[0] ?? '']));
  if (
    field(oldSpec, 'controlPlaneLoadBalancer', 'enableProxyProtocol') === true &&
    field(spec, 'controlPlaneLoadBalancer', 'enableProxyProtocol') !== true
  ) {
    errors.push(
      fieldError.invalid(
        'spec.controlPlaneLoadBalancer.enableProxyProtocol',
        false,
        'proxy protocol cannot be disabled once enabled',
      ),
    );
  }
  return [...errors, ...secretKeyErrors(spec)];
}

/** CAPH's HetznerCluster rules; imageurl acts only on the secret and SSH keys for now (see api/README.md). */
export const hetznerClusterAdmission: KindAdmission = {
  kind: 'HetznerCluster',
  plural: 'hetznerclusters',
  validate: ({ operation, object, oldObject }: AdmissionAttributes): FieldError[] =>
    operation === 'CREATE'
      ? createErrors(object)
      : operation === 'UPDATE'
        ? updateErrors(oldObject, object)
        : [],
};
