import type { KubeObject, Scope } from '../../kube/index.js';
import type { EventSink } from '../../ports/event-sink.js';

/**
 * The core's events as Kubernetes Events regarding the reconciled object, shared by the
 * HCloudMachine and HetznerBareMetalHost reconcilers. `keep: 'tail'`: a command's output is
 * cut from the front, since the last lines say why it failed.
 */
export function provisioningEvents(scope: Pick<Scope<KubeObject>, 'event'>): EventSink {
  return {
    emit: (event): void =>
      scope.event({
        type: event.type,
        reason: event.reason,
        note: event.message,
        action: 'Provisioning',
        keep: 'tail',
      }),
  };
}
