import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_VERSION, GROUP, kinds } from '../v1beta1/index.js';
import { v1beta2Kinds } from '../v1beta2/index.js';
import { Arbitrary, seededRandom } from './arbitrary.js';
import { CONVERSION_DATA_ANNOTATION, convertObject, type ConvertibleVersion } from './convert.js';
import type { Json } from './status.js';

const CASES_PER_KIND = Number(process.env.CONVERSION_CASES ?? 2000);
const SEED = Number(process.env.CONVERSION_SEED ?? 20261207);

function randomObjects(kind: (typeof kinds)[number], version: ConvertibleVersion, seed: number): Json[] {
  const arbitrary = new Arbitrary(seededRandom(seed));
  return Array.from({ length: CASES_PER_KIND }, () => ({
    ...(arbitrary.value(kind.object) as Json),
    apiVersion: `${GROUP}/${version}`,
    kind: kind.kind,
  }));
}

function roundTrip(versions: { from: ConvertibleVersion; to: ConvertibleVersion }, all: typeof kinds): void {
  const targets = versions.to === 'v1beta2' ? v1beta2Kinds : kinds;
  all.forEach((kind, index) => {
    const target = targets[index];
    assert.ok(target);
    for (const [n, object] of randomObjects(kind, versions.from, SEED + index).entries()) {
      const converted = convertObject(object, versions.to);
      const parsed = target.object.safeParse(converted);
      assert.ok(parsed.success, `${kind.kind} #${n}: converted object invalid: ${parsed.error?.message}`);
      const back = convertObject(converted, versions.from);
      assert.deepEqual(back, object, `${kind.kind} #${n} (seed ${SEED + index}) changed on the round trip`);
    }
  });
}

describe('conversion between v1beta1 and v1beta2', () => {
  it(`round-trips ${CASES_PER_KIND} random v1beta1 objects per kind through v1beta2 unchanged`, () => {
    roundTrip({ from: 'v1beta1', to: 'v1beta2' }, kinds);
  });

  it(`round-trips ${CASES_PER_KIND} random v1beta2 objects per kind through v1beta1 unchanged`, () => {
    roundTrip({ from: 'v1beta2', to: 'v1beta1' }, v1beta2Kinds);
  });

  it('moves the contract fields and adds no annotation when both versions hold everything', () => {
    const condition = {
      type: 'Ready',
      status: 'True',
      reason: 'Ready',
      message: '',
      lastTransitionTime: '2026-12-07T21:00:00Z',
    };
    const old = { type: 'Ready', status: 'True', lastTransitionTime: '2026-12-07T21:00:00Z' };
    const machine = {
      apiVersion: API_VERSION,
      kind: 'HCloudMachine',
      metadata: { name: 'm' },
      spec: { type: 'cpx22', imageName: 'ubuntu-24.04' },
      status: {
        ready: true,
        conditions: [old],
        v1beta2: { conditions: [condition] },
        failureReason: 'CreateError',
      },
    };
    assert.deepEqual(convertObject(machine, 'v1beta2'), {
      ...machine,
      apiVersion: `${GROUP}/v1beta2`,
      status: {
        initialization: { provisioned: true },
        conditions: [condition],
        deprecated: { v1beta1: { conditions: [old], failureReason: 'CreateError' } },
      },
    });
  });

  it('lists failure domains by name and keeps an empty v1beta2 block in the annotation', () => {
    const cluster = {
      apiVersion: API_VERSION,
      kind: 'HetznerCluster',
      metadata: { name: 'c' },
      spec: {},
      status: { ready: false, failureDomains: { nbg1: {}, fsn1: { controlPlane: true } }, v1beta2: {} },
    };
    const converted = convertObject(cluster, 'v1beta2');
    assert.deepEqual((converted.status as Json).failureDomains, [
      { name: 'fsn1', controlPlane: true },
      { name: 'nbg1' },
    ]);
    assert.ok(
      (converted.metadata as { annotations: Record<string, string> }).annotations[CONVERSION_DATA_ANNOTATION],
    );
    assert.deepEqual(convertObject(converted, 'v1beta1'), cluster);
  });

  it('does not restore stale annotation data once the status changed in the other version', () => {
    const cluster = {
      apiVersion: API_VERSION,
      kind: 'HetznerCluster',
      metadata: { name: 'c' },
      spec: {},
      status: { ready: false, v1beta2: {} },
    };
    const converted = convertObject(cluster, 'v1beta2');
    const changed = { ...converted, status: { initialization: { provisioned: true } } };
    assert.deepEqual(convertObject(changed, 'v1beta1'), { ...cluster, status: { ready: true } });
  });
});
