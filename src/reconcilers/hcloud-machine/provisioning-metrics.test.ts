import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { BootTransition } from '../../provisioning/index.js';
import { HcloudApiMetrics } from './hcloud-api-metrics.js';
import { ProvisioningMetrics } from './provisioning-metrics.js';

const at = new Date('2026-01-01T00:00:00Z');

function transition(from: BootTransition['from'], to: BootTransition['to'], extra = {}): BootTransition {
  return { machine: 'worker-1', from, to, durationMs: 2500, at, ...extra };
}

async function valueOf(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const found = metric?.values.find((value) =>
    Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === wanted),
  );
  return found?.value ?? 0;
}

describe('ProvisioningMetrics', () => {
  it('observes the time in the old state, by old and new state', async () => {
    const registry = new Registry();
    const metrics = new ProvisioningMetrics(registry);
    metrics.transitioned(transition('', 'Initializing', { durationMs: 40 }));
    metrics.transitioned(transition('Initializing', 'EnablingRescue'));
    const name = 'imageurl_boot_state_duration_seconds';
    const text = await registry.getSingleMetricAsString(name);
    assert.match(text, /_count\{old_state="\(unset\)",new_state="Initializing"\} 1/);
    assert.match(text, /_sum\{old_state="Initializing",new_state="EnablingRescue"\} 2\.5/);
  });

  it('counts outcomes: succeeded on OperatingSystemRunning, failed by reason, unknown reasons bounded', async () => {
    const registry = new Registry();
    const metrics = new ProvisioningMetrics(registry);
    metrics.transitioned(transition('BootingToRealOS', 'OperatingSystemRunning'));
    metrics.transitioned(
      transition('RunningImageCommand', 'ProvisioningFailed', { reason: 'CustomProvisionerFailed' }),
    );
    metrics.transitioned(transition('BootingToRescue', 'ProvisioningFailed', { reason: 'machine-42-x' }));
    metrics.transitioned(transition('Initializing', 'EnablingRescue'));
    const name = 'imageurl_provisioning_outcomes_total';
    assert.equal(await valueOf(registry, name, { outcome: 'succeeded', reason: 'Provisioned' }), 1);
    assert.equal(await valueOf(registry, name, { outcome: 'failed', reason: 'CustomProvisionerFailed' }), 1);
    assert.equal(await valueOf(registry, name, { outcome: 'failed', reason: 'Unknown' }), 1);
    const all = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
    assert.equal(all?.values.length, 3);
  });
});

describe('HcloudApiMetrics', () => {
  it('counts requests by endpoint, method and status, and the rate-limit waits by cause', async () => {
    const registry = new Registry();
    const metrics = new HcloudApiMetrics(registry);
    const poweron = { method: 'POST', endpoint: '/servers/{id}/actions/poweron', durationMs: 3 };
    metrics.requested({ ...poweron, status: 201 });
    metrics.requested({ ...poweron, status: 201 });
    metrics.requested({ ...poweron, status: 0 });
    metrics.waited({ cause: 'budget', ms: 1500 });
    metrics.waited({ cause: 'rate_limited', ms: 500 });
    metrics.waited({ cause: 'rate_limited', ms: 250 });
    const requests = 'imageurl_hcloud_requests_total';
    const labels = { endpoint: poweron.endpoint, method: 'POST' };
    assert.equal(await valueOf(registry, requests, { ...labels, status: '201' }), 2);
    assert.equal(await valueOf(registry, requests, { ...labels, status: 'none' }), 1);
    const waits = 'imageurl_hcloud_rate_limit_waits_total';
    assert.equal(await valueOf(registry, waits, { cause: 'rate_limited' }), 2);
    const seconds = 'imageurl_hcloud_rate_limit_wait_seconds_total';
    assert.equal(await valueOf(registry, seconds, { cause: 'budget' }), 1.5);
    assert.equal(await valueOf(registry, seconds, { cause: 'rate_limited' }), 0.75);
  });
});
