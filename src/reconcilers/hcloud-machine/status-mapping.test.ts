import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MachineStatus } from '../../provisioning/index.js';
import { readStatus, stateAnnotationOf } from './status-mapping.js';
import { STATE_ANNOTATION, type HCloudMachineObject } from './types.js';

const since = new Date('2026-01-02T03:04:05.000Z');

/** The HCloudMachine as a restarted controller reads it: status as written, and the annotation. */
function stored(written: MachineStatus, withStatus: boolean): HCloudMachineObject {
  return {
    metadata: { name: 'm', namespace: 'ns', annotations: { [STATE_ANNOTATION]: stateAnnotationOf(written) } },
    spec: { type: 'cpx22', providerID: 'hcloud://42' },
    ...(withStatus ? { status: { bootState: written.bootState, bootStateSince: since.toISOString() } } : {}),
  };
}

describe('HCloudMachine status mapping', () => {
  const written: MachineStatus = { bootState: 'EnablingRescue', bootStateSince: since, rescueResets: 1 };

  it('keeps the rescue resets across a controller restart, so no new tries are handed out', () => {
    assert.equal(readStatus(stored(written, true)).rescueResets, 1);
  });

  it('keeps them for an object re-created without status (clusterctl move)', () => {
    assert.equal(readStatus(stored(written, false)).rescueResets, 1);
  });
});
