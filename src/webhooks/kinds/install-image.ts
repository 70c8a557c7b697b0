import { fieldError, type FieldError } from '../field-errors.js';
import { field, stringField } from '../object-fields.js';
import { validateImageUrl } from '../rules/image-url.js';
import { validateImageUrlCommandName } from '../rules/image-url-command-name.js';

const INSTALLIMAGE_SUFFIXES = ['tar', 'tar.gz', 'tar.bz', 'tar.bz2', 'tar.xz', 'tgz', 'tbz', 'txz'];

/** `spec.installImage` of a HetznerBareMetalMachine (or its template), at `path`. */
export function validateInstallImage(installImage: unknown, path: string): FieldError[] {
  const command = stringField(installImage, 'imageURLCommand');
  return command === ''
    ? installimageModeErrors(installImage, path)
    : commandModeErrors(installImage, path, command);
}

/** The bare-metal custom-command mode: the URL is required, image.name and image.path stay empty. */
function commandModeErrors(installImage: unknown, path: string, command: string): FieldError[] {
  const image = field(installImage, 'image');
  const url = stringField(image, 'url');
  const errors: FieldError[] = [];
  if (url === '')
    errors.push(fieldError.required(`${path}.image.url`, 'url is required when imageURLCommand is set'));
  const urlError = url === '' ? undefined : validateImageUrl(`${path}.image.url`, url);
  if (urlError) errors.push(urlError);
  for (const name of ['name', 'path'] as const) {
    const value = stringField(image, name);
    if (value !== '')
      errors.push(
        fieldError.invalid(
          `${path}.image.${name}`,
          value,
          `${name} must be empty when imageURLCommand is set`,
        ),
      );
  }
  const nameError = validateImageUrlCommandName(`${path}.imageURLCommand`, command);
  if (nameError) errors.push(nameError);
  return errors; // deviceStringType's values are the CRD's enum
}

/** Hetzner's installimage mode, as CAPH checks it. */
function installimageModeErrors(installImage: unknown, path: string): FieldError[] {
  const image = field(installImage, 'image');
  const [name, url, imagePath] = [
    stringField(image, 'name'),
    stringField(image, 'url'),
    stringField(image, 'path'),
  ];
  const errors: FieldError[] = [];
  const deviceStringType = stringField(installImage, 'deviceStringType');
  if (deviceStringType !== '') {
    errors.push(
      fieldError.invalid(
        `${path}.deviceStringType`,
        deviceStringType,
        'deviceStringType is only valid when imageURLCommand is set',
      ),
    );
  }
  if ((name === '' || url === '') && imagePath === '') {
    errors.push(
      fieldError.invalid(`${path}.image`, image ?? {}, 'have to specify either image name and url or path'),
    );
  }
  if (
    url !== '' &&
    !url.startsWith('oci://') &&
    !INSTALLIMAGE_SUFFIXES.some((suffix) => url.endsWith(`.${suffix}`))
  ) {
    errors.push(
      fieldError.invalid(
        `${path}.image.url`,
        url,
        `unknown image type in URL (want oci:// or a file ending in .${INSTALLIMAGE_SUFFIXES.join(', .')})`,
      ),
    );
  }
  return errors;
}
