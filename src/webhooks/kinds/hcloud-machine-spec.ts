import { fieldError, type FieldError } from '../field-errors.js';
import { field, isRecord, stringField } from '../object-fields.js';
import { validateImageUrl } from '../rules/image-url.js';
import { validateImageUrlCommandName } from '../rules/image-url-command-name.js';

/** Spec fields that cannot change once a server exists (CAPH's list). */
export const IMMUTABLE_HCLOUD_MACHINE_FIELDS = [
  'type',
  'imageName',
  'imageURL',
  'imageURLCommand',
  'sshKeys',
  'placementGroupName',
] as const;

/**
 * The image rules of an HCloudMachine spec (also inside HCloudMachineTemplate), all errors
 * collected in CAPH's order; `path` is where the spec sits (`spec` or `spec.template.spec`).
 */
export function validateHCloudMachineSpec(spec: unknown, path: string): FieldError[] {
  const imageName = stringField(spec, 'imageName');
  const imageURL = stringField(spec, 'imageURL');
  const command = stringField(spec, 'imageURLCommand');
  return [...imageChoiceErrors(path, imageName, imageURL), ...commandErrors(path, imageURL, command)];
}

/** Exactly one of imageName (a prepared image) and imageURL (the image-url-command flow). */
function imageChoiceErrors(path: string, imageName: string, imageURL: string): FieldError[] {
  const errors: FieldError[] = [];
  if (imageName !== '' && imageURL !== '') {
    errors.push(
      fieldError.invalid(`${path}.imageName`, imageName, 'imageName and imageURL are mutually exclusive'),
    );
  }
  if (imageName === '' && imageURL === '') {
    const detail = 'imageName and imageURL empty. One of these attributes must be set';
    errors.push(fieldError.invalid(`${path}.imageName`, imageName, detail));
  }
  const urlError = imageURL === '' ? undefined : validateImageUrl(`${path}.imageURL`, imageURL);
  return urlError ? [...errors, urlError] : errors;
}

/** The spec: imageURL and imageURLCommand are set together; the command is a /shared basename. */
function commandErrors(path: string, imageURL: string, command: string): FieldError[] {
  const commandPath = `${path}.imageURLCommand`;
  if (command === '') {
    return imageURL === ''
      ? []
      : [fieldError.required(commandPath, 'imageURLCommand must be set when imageURL is set')];
  }
  const errors: FieldError[] = [];
  if (imageURL === '')
    errors.push(fieldError.invalid(commandPath, command, 'imageURLCommand requires imageURL to be set'));
  const nameError = validateImageUrlCommandName(commandPath, command);
  return nameError ? [...errors, nameError] : errors;
}

/** CAPH's defaulting: a spec without publicNetwork gets IPv4 and IPv6. */
export function defaultHCloudMachineSpec(spec: unknown): unknown {
  if (!isRecord(spec) || field(spec, 'publicNetwork') != null) return spec;
  return { ...spec, publicNetwork: { enableIPv4: true, enableIPv6: true } };
}
