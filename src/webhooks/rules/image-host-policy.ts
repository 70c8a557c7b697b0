import { urlHost, urlHostIsListed } from '../../util/url-host.js';
import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { stringField } from '../object-fields.js';

/** Where each kind keeps the image URL its command receives. */
const IMAGE_URL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  HCloudMachine: ['spec', 'imageURL'],
  HCloudMachineTemplate: ['spec', 'template', 'spec', 'imageURL'],
  HetznerBareMetalMachine: ['spec', 'installImage', 'image', 'url'],
  HetznerBareMetalMachineTemplate: ['spec', 'template', 'spec', 'installImage', 'image', 'url'],
};

/**
 * An operator's list of image hosts (`--image-url-hosts`): a new or changed image URL must name
 * one of them, so nobody can point a command (and the registry credentials it may carry) at a
 * host of their own. Objects admitted before the list was set stay writable as long as their
 * URL does not change: the controller must still be able to update and delete them.
 */
function imageHostErrors(
  kind: string,
  attributes: AdmissionAttributes,
  hosts: readonly string[],
): FieldError[] {
  const path = IMAGE_URL_FIELDS[kind];
  if (path === undefined || (attributes.operation !== 'CREATE' && attributes.operation !== 'UPDATE'))
    return [];
  const url = stringField(attributes.object, ...path);
  if (url === '' || urlHostIsListed(url, hosts)) return [];
  if (attributes.operation === 'UPDATE' && stringField(attributes.oldObject, ...path) === url) return [];
  return [
    fieldError.invalid(
      path.join('.'),
      urlHost(url) ?? url.slice(0, 64),
      `this controller installs images only from ${hosts.join(', ')} (--image-url-hosts)`,
    ),
  ];
}

/** `admissions` with the image host rule added to the kinds that carry an image URL. */
export function withImageHostPolicy<K extends KindAdmission>(
  admissions: readonly K[],
  hosts: readonly string[],
): K[] {
  return admissions.map((admission) =>
    IMAGE_URL_FIELDS[admission.kind] === undefined
      ? admission
      : {
          ...admission,
          validate: (attributes: AdmissionAttributes): readonly FieldError[] => [
            ...admission.validate(attributes),
            ...imageHostErrors(admission.kind, attributes, hosts),
          ],
        },
  );
}
