import type { ActionRecord, ActionResource } from './action-book.js';
import { CloudErrorResponse } from './cloud-error-response.js';
import type { CloudProject } from './cloud-project.js';

/**
 * A running action on the resource a request names makes the request answer 423 `locked`
 * (docs.hetzner.cloud, "Errors"), whatever kind the resource is.
 */
export function assertUnlocked(project: CloudProject, resource: ActionResource): void {
  if (project.actions.isLocked(resource)) throw CloudErrorResponse.locked(resource.type.replaceAll('_', ' '));
}

export interface ConfigAction {
  readonly command: string;
  readonly resources: readonly ActionResource[];
  /** Default: the configuration-action duration. */
  readonly durationMs?: number;
  readonly onSuccess?: () => void;
}

/**
 * Starts an action that changes configuration. The change itself is made by the caller at once
 * (so the next request sees it and a conflicting one is refused); the action reports when it
 * has been rolled out.
 */
export function startConfigAction(project: CloudProject, spec: ConfigAction): ActionRecord {
  return project.actions.start({
    command: spec.command,
    resources: spec.resources,
    durationMs: spec.durationMs ?? project.env.durations.configActionMs,
    ...(spec.onSuccess ? { onSuccess: spec.onSuccess } : {}),
  });
}
