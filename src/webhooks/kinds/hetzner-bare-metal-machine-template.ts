import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { isTopologyDryRun } from '../rules/topology-dry-run.js';
import { field, jsonEqual, stringField } from '../object-fields.js';
import { validateInstallImage } from './install-image.js';

/**
 * CAPH validates nothing on create because ClusterClass creates empty templates. We keep those
 * admissible but check a template that selects the image-url-command mode, so a bad command name
 * or URL is caught when the template is applied rather than when its first machine is created.
 */
function validate(attributes: AdmissionAttributes): FieldError[] {
  const { operation, object, oldObject } = attributes;
  const installImage = field(object, 'spec', 'template', 'spec', 'installImage');
  const commandMode = stringField(installImage, 'imageURLCommand') !== '';
  const errors: FieldError[] = [];
  if (
    operation === 'UPDATE' &&
    !isTopologyDryRun(attributes) &&
    !jsonEqual(field(oldObject, 'spec'), field(object, 'spec'))
  ) {
    errors.push(
      fieldError.invalid('spec', field(object, 'spec'), 'HetznerBareMetalMachineTemplate.Spec is immutable'),
    );
  }
  if (operation === 'CREATE' && commandMode)
    errors.push(...validateInstallImage(installImage, 'spec.template.spec.installImage'));
  return errors;
}

export const hetznerBareMetalMachineTemplateAdmission: KindAdmission = {
  kind: 'HetznerBareMetalMachineTemplate',
  plural: 'hetznerbaremetalmachinetemplates',
  validate,
};
