import { randomBytes } from 'node:crypto';
import type { ActionRecord, StartAction } from './action-book.js';
import { CloudErrorResponse } from './cloud-error-response.js';
import type { CloudProject } from './cloud-project.js';
import { loadBalancersOf } from './load-balancer-view.js';
import { renderPlacementGroup } from './placement-group-record.js';
import { renderServer, type ServerRecord } from './server-record.js';
import type { SnapshotImage } from './snapshot-images.js';

/**
 * The server status machine the Cloud API shows, one function per action: each checks the
 * lock, starts the action with its command name, and moves status and power as the action runs.
 */
export class ServerLifecycle {
  constructor(private readonly project: CloudProject) {}

  private durationsOf(server: ServerRecord): CloudProject['env']['durations'] {
    return this.project.env.durationsOf(server.id);
  }

  render(server: ServerRecord): Record<string, unknown> {
    const { project } = this;
    const group =
      server.placementGroupId === undefined
        ? undefined
        : project.placementGroups.get(server.placementGroupId);
    return renderServer(server, {
      locked: project.actions.isLocked({ type: 'server', id: server.id }),
      placementGroup: group ? renderPlacementGroup(group, project.servers.values()) : null,
      loadBalancers: loadBalancersOf(project, server),
    });
  }

  /**
   * A running action on the server makes every mutating call answer 423 `locked`
   * (docs.hetzner.cloud, "Errors").
   */
  assertUnlocked(server: ServerRecord): void {
    if (this.project.actions.isLocked({ type: 'server', id: server.id })) throw CloudErrorResponse.locked();
  }

  /** `create_server`, then `start_server` when asked (reported in `next_actions` right away). */
  created(server: ServerRecord, startAfterCreate: boolean): { action: ActionRecord; next: ActionRecord[] } {
    const action = this.start(server, {
      command: 'create_server',
      durationMs: this.durationsOf(server).createServerMs,
      onSuccess: () => {
        if (server.status === 'initializing') server.status = 'off';
      },
    });
    const next = startAfterCreate ? [this.powerOnAction(server, action)] : [];
    return { action, next };
  }

  poweron(server: ServerRecord): ActionRecord {
    this.assertUnlocked(server);
    return this.powerOnAction(server);
  }

  poweroff(server: ServerRecord): ActionRecord {
    this.assertUnlocked(server);
    return this.start(server, {
      command: 'stop_server',
      durationMs: this.durationsOf(server).stopServerMs,
      onBegin: () => {
        if (server.machine.poweredOn) server.status = 'stopping';
        return server.machine.powerOff();
      },
      onSuccess: () => {
        server.status = 'off';
      },
    });
  }

  /** ACPI: the action only sends the signal; a booted system then stops, nothing else reacts. */
  shutdown(server: ServerRecord): ActionRecord {
    this.assertUnlocked(server);
    return this.start(server, {
      command: 'shutdown_server',
      durationMs: this.durationsOf(server).rescueToggleMs,
      onBegin: () => {
        if (server.machine.system !== undefined) server.status = 'stopping';
        server.machine.acpi('poweroff');
      },
    });
  }

  /** ACPI reboot: only a booted system reacts. */
  reboot(server: ServerRecord): ActionRecord {
    this.assertUnlocked(server);
    return this.start(server, {
      command: 'reboot_server',
      durationMs: this.durationsOf(server).resetServerMs,
      onSuccess: () => {
        server.machine.acpi('reboot');
      },
    });
  }

  /** Hard power cycle; an `off` server starts. */
  reset(server: ServerRecord): ActionRecord {
    this.assertUnlocked(server);
    return this.start(server, {
      command: 'reset_server',
      durationMs: this.durationsOf(server).resetServerMs,
      onSuccess: () => {
        server.machine.reset();
        server.status = 'running';
      },
    });
  }

  /** Activates rescue for the next boot (no reboot) and returns a fresh root password. */
  enableRescue(
    server: ServerRecord,
    authorizedKeys: readonly string[],
  ): { action: ActionRecord; rootPassword: string } {
    this.assertUnlocked(server);
    const activation = { authorizedKeys, password: password() };
    server.machine.activateRescue(activation);
    this.project.env.scheduler.after(
      this.durationsOf(server).rescueLapseMs,
      () => server.machine.deactivateRescue(activation),
      this.project.env.onError,
    );
    const action = this.start(server, {
      command: 'enable_rescue',
      durationMs: this.durationsOf(server).rescueToggleMs,
    });
    return { action, rootPassword: activation.password };
  }

  /** `create_image`: the image is listed at once, `creating` until the action succeeds. */
  createImage(server: ServerRecord, image: SnapshotImage): ActionRecord {
    this.assertUnlocked(server);
    this.project.snapshots.set(image.id, image);
    return this.start(server, {
      command: 'create_image',
      durationMs: this.durationsOf(server).createServerMs,
      onSuccess: () => {
        image.status = 'available';
      },
      onError: () => void this.project.snapshots.delete(image.id),
    });
  }

  disableRescue(server: ServerRecord): ActionRecord {
    this.assertUnlocked(server);
    server.machine.deactivateRescue();
    return this.start(server, {
      command: 'disable_rescue',
      durationMs: this.durationsOf(server).rescueToggleMs,
    });
  }

  /** The server leaves the user's view at once; its action stays queryable. */
  delete(server: ServerRecord): ActionRecord {
    if (server.protection.delete) throw CloudErrorResponse.protected('server');
    this.assertUnlocked(server);
    this.project.servers.delete(server.id);
    // A deleted server stops being a target (label selectors no longer match it anyway).
    for (const balancer of this.project.loadBalancers.values())
      balancer.targets = balancer.targets.filter((t) => t.type !== 'server' || t.serverId !== server.id);
    server.status = 'deleting';
    this.project.retire(server.machine);
    return this.start(server, {
      command: 'delete_server',
      durationMs: this.durationsOf(server).deleteServerMs,
    });
  }

  private powerOnAction(server: ServerRecord, after?: ActionRecord): ActionRecord {
    return this.start(
      server,
      {
        command: 'start_server',
        durationMs: this.durationsOf(server).startServerMs,
        onBegin: () => {
          if (server.machine.poweredOn) return;
          server.status = 'starting';
          server.machine.powerOn();
        },
        onSuccess: () => {
          if (server.machine.poweredOn) server.status = 'running';
        },
        // A start that failed leaves the server off.
        onError: () => void server.machine.powerOff().catch(this.project.env.onError),
      },
      after,
    );
  }

  /** Starts an action on the server; when it fails, the status follows the machine's power again. */
  private start(
    server: ServerRecord,
    spec: Omit<StartAction, 'resources'>,
    after?: ActionRecord,
  ): ActionRecord {
    const onError = (): void => {
      spec.onError?.();
      if (this.project.servers.has(server.id)) server.status = server.machine.poweredOn ? 'running' : 'off';
    };
    return this.project.actions.start(
      { ...spec, resources: [{ id: server.id, type: 'server' }], onError },
      after,
    );
  }
}

/** Hetzner's generated root passwords are 12+ mixed characters; exact form undocumented. */
function password(): string {
  return randomBytes(12).toString('base64url').slice(0, 16);
}
