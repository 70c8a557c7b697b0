/**
 * The controller's bookkeeping annotation (rescue host-key pin, whether a server was requested,
 * error counters) steers what it does next: clearing the pin would let the next rescue boot
 * present any host key. Only the controller may change it once an object exists.
 */
import { DELETE_FOR_MOVE_ANNOTATION } from '../../../api/cluster-api.js';
import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, AdmissionUsers } from '../kind-admission.js';
import { field } from '../object-fields.js';

function annotation(object: unknown, key: string): string | undefined {
  const value = field(object, 'metadata', 'annotations', key);
  return typeof value === 'string' ? value : undefined;
}

const annotationPath = (key: string): string => `metadata.annotations[${key}]`;

function onlyTheController(users: AdmissionUsers, what: string): string {
  return `only the controller (${users.controller}) may ${what}, not ${JSON.stringify(users.requester)}`;
}

/**
 * On UPDATE by anyone but the controller: `key` must stay as it was. Creating an object with it
 * is allowed (clusterctl move and restores re-create objects with their bookkeeping), and so is
 * clusterctl move's last write on the source object: it replaces all annotations with
 * delete-for-move before deleting it. That mark stops the controller for good (it treats the
 * object as paused), so nobody but the controller may remove it again.
 */
export function bookkeepingAnnotationErrors(
  { operation, object, oldObject, users }: AdmissionAttributes,
  key: string,
): FieldError[] {
  if (operation !== 'UPDATE' || users === undefined || users.requester === users.controller) return [];
  const errors: FieldError[] = [];
  const leavingForMove = annotation(object, DELETE_FOR_MOVE_ANNOTATION) !== undefined;
  const after = annotation(object, key);
  if (annotation(oldObject, key) !== after && !(after === undefined && leavingForMove))
    errors.push(
      fieldError.forbidden(
        annotationPath(key),
        `${onlyTheController(users, 'add, change or remove this annotation')}: it holds the controller's bookkeeping (the rescue host-key pin among it)`,
      ),
    );
  if (annotation(oldObject, DELETE_FOR_MOVE_ANNOTATION) !== undefined && !leavingForMove)
    errors.push(
      fieldError.forbidden(
        annotationPath(DELETE_FOR_MOVE_ANNOTATION),
        `${onlyTheController(users, 'remove this annotation')}: clusterctl move marked the object for deletion, and its patch removed the bookkeeping`,
      ),
    );
  return errors;
}
