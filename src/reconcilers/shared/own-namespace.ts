/**
 * The namespace a reference of an object resolves in: the object's own, always. A reference
 * that names another namespace resolves to nothing: whoever may edit the object must not make
 * the controller read another namespace's Secret or act for another namespace's machine. The
 * webhook refuses such references; this keeps the controller safe where it does not run.
 */
export function referenceNamespace(objectNamespace: string, named: string | undefined): string | undefined {
  return !named || named === objectNamespace ? objectNamespace : undefined;
}

/** Why a reference was not followed, naming the field (for a condition). */
export function foreignNamespaceMessage(field: string, named: string, own: string): string {
  return `${field} names namespace ${JSON.stringify(named)}; references resolve only in the object's own namespace ${JSON.stringify(own)}`;
}
