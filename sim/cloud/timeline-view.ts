import type { CloudProject } from './cloud-project.js';

/** One server's history as the simulator saw it: when each action ran and when each boot ended. */
export interface ServerTimeline {
  readonly serverId: number;
  readonly actions: readonly {
    readonly id: number;
    readonly command: string;
    readonly status: string;
    readonly started: string;
    /** When its work began (a `next_actions` follower waits for the action before it). */
    readonly begun: string | null;
    readonly finished: string | null;
  }[];
  /** `booted`: the system answers SSH from `at`; `not-booted`: nothing will answer. */
  readonly boots: readonly { readonly type: string; readonly system: string; readonly at: string }[];
}

/**
 * GET /_sim/timeline: the moments a client could have gone on (an action finished, SSH began to
 * answer), for measuring how long a client took to notice them.
 */
export function serverTimelines(project: CloudProject): ServerTimeline[] {
  const byServer = new Map<number, ServerTimeline['actions'][number][]>();
  for (const action of project.actions.all()) {
    for (const resource of action.resources) {
      if (resource.type !== 'server') continue;
      const list = byServer.get(resource.id) ?? [];
      list.push({
        id: action.id,
        command: action.command,
        status: action.status,
        started: action.started.toISOString(),
        begun: action.begun?.toISOString() ?? null,
        finished: action.finished?.toISOString() ?? null,
      });
      byServer.set(resource.id, list);
    }
  }
  const ids = new Set([...byServer.keys(), ...project.boots.keys()]);
  return [...ids].map((serverId) => ({
    serverId,
    actions: byServer.get(serverId) ?? [],
    boots: (project.boots.get(serverId) ?? []).map((boot) => ({
      type: boot.type,
      system: 'system' in boot ? boot.system : '',
      at: boot.at.toISOString(),
    })),
  }));
}
