/**
 * Where the provisioning core reports events about one machine (the kube side turns them into
 * Kubernetes Events regarding the HCloudMachine; the CLI prints them). Messages are already
 * redacted and sized by the core; a sink may still cut them to its own limit.
 */
export interface EventSink {
  /** Records one event; never throws and never waits (events are best effort). */
  emit(event: MachineEvent): void;
}

export type MachineEventType = 'Normal' | 'Warning';

export interface MachineEvent {
  readonly type: MachineEventType;
  /** CamelCase and machine-readable, e.g. `ImageURLCommandFailed`. */
  readonly reason: string;
  readonly message: string;
}
