import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serverBody, startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

/** The Cloud simulator's wire contract (docs.hetzner.cloud): headers, envelopes, statuses, lists. */
describe('Cloud simulator wire contract', () => {
  let env: SimCloudEnv;

  before(async () => {
    env = await startSimCloud({ bootSystems: false });
  });
  after(() => env.stop());

  function assertEnvelope(body: Record<string, unknown>, code: string): void {
    const error = body.error as Record<string, unknown>;
    assert.equal(error.code, code);
    assert.equal(typeof error.message, 'string');
    assert.ok('details' in error, 'the error object carries details (null when there are none)');
  }

  it('answers JSON with rate-limit and correlation headers on success', async () => {
    const { status, headers } = await env.api.call('GET', '/locations');
    assert.equal(status, 200);
    assert.match(headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(headers.get('ratelimit-limit'), '3600');
    assert.match(headers.get('ratelimit-remaining') ?? '', /^\d+$/);
    assert.ok(Number(headers.get('ratelimit-reset')) >= Math.floor(Date.now() / 1000));
    assert.ok(headers.get('x-correlation-id'));
  });

  it('answers 401 unauthorized "unable to authenticate" without or with a wrong token, with the headers', async () => {
    for (const token of [null, 'wrong']) {
      const { status, body, headers } = await env.api.call('GET', '/servers', undefined, token);
      assert.equal(status, 401);
      assertEnvelope(body, 'unauthorized');
      assert.equal((body.error as { message: string }).message, 'unable to authenticate');
      assert.ok(headers.get('ratelimit-remaining'));
    }
  });

  it('answers 404 not_found, 405 method_not_allowed, 400 json_error and 422 invalid_input', async () => {
    const missing = await env.api.call('GET', '/servers/999999');
    assert.equal(missing.status, 404);
    assertEnvelope(missing.body, 'not_found');
    const unknownPath = await env.api.call('GET', '/no_such_resource');
    assert.equal(unknownPath.status, 404);
    const method = await env.api.call('PATCH', '/servers');
    assert.equal(method.status, 405);
    assertEnvelope(method.body, 'method_not_allowed');
    const json = await env.api.call('POST', '/servers', '{"name": ');
    assert.equal(json.status, 400);
    assertEnvelope(json.body, 'json_error');
    const invalid = await env.api.call('POST', '/servers', { server_type: 'cpx22', image: 'debian-13' });
    assert.equal(invalid.status, 422);
    assertEnvelope(invalid.body, 'invalid_input');
    const fields = (invalid.body.error as { details: { fields: { name: string }[] } }).details.fields;
    assert.deepEqual(
      fields.map((f) => f.name),
      ['name'],
    );
  });

  it('rejects location with datacenter, unknown types and images, leaving nothing behind', async () => {
    const before = (await env.api.call('GET', '/servers')).body.meta as {
      pagination: { total_entries: number };
    };
    const cases = [
      serverBody('bad-1', { location: 'fsn1', datacenter: 'fsn1-dc14' }),
      serverBody('bad-2', { server_type: 'no-such-type' }),
      serverBody('bad-3', { image: 'no-such-image' }),
      serverBody('bad_name!'),
    ];
    for (const body of cases) {
      const response = await env.api.call('POST', '/servers', body);
      assert.equal(response.status, 422, JSON.stringify(body));
      assertEnvelope(response.body, 'invalid_input');
    }
    const afterwards = (await env.api.call('GET', '/servers')).body.meta as {
      pagination: { total_entries: number };
    };
    assert.equal(afterwards.pagination.total_entries, before.pagination.total_entries);
  });

  it('paginates with meta.pagination and a Link header, 50 per page at most', async () => {
    for (const name of ['page-a', 'page-b', 'page-c'])
      assert.equal(
        (await env.api.call('POST', '/servers', serverBody(name, { labels: { pages: 'yes' } }))).status,
        201,
      );
    const first = await env.api.call('GET', '/servers?label_selector=pages&per_page=2&sort=name');
    assert.deepEqual(first.body.meta, {
      pagination: { page: 1, per_page: 2, previous_page: null, next_page: 2, last_page: 2, total_entries: 3 },
    });
    assert.deepEqual(
      (first.body.servers as { name: string }[]).map((s) => s.name),
      ['page-a', 'page-b'],
    );
    assert.match(first.headers.get('link') ?? '', /page=2>; rel="next", <[^>]*page=2>; rel="last"$/);
    const second = await env.api.call('GET', '/servers?label_selector=pages&per_page=2&sort=name&page=2');
    assert.deepEqual(
      (second.body.servers as { name: string }[]).map((s) => s.name),
      ['page-c'],
    );
    assert.match(second.headers.get('link') ?? '', /rel="prev"/);
    const capped = await env.api.call('GET', '/servers?per_page=500');
    assert.equal((capped.body.meta as { pagination: { per_page: number } }).pagination.per_page, 50);
    const desc = await env.api.call('GET', '/servers?label_selector=pages&sort=name:desc');
    assert.deepEqual(
      (desc.body.servers as { name: string }[]).map((s) => s.name),
      ['page-c', 'page-b', 'page-a'],
    );
  });

  it('filters by exact name and the whole label selector grammar', async () => {
    const labelled: [string, Record<string, string>][] = [
      ['sel-prod-web', { env: 'prod', type: 'web' }],
      ['sel-prod-db', { env: 'prod', type: 'database' }],
      ['sel-staging', { env: 'staging' }],
    ];
    for (const [name, labels] of labelled)
      await env.api.call('POST', '/servers', serverBody(name, { labels }));
    const names = async (query: string): Promise<string[]> => {
      const { body } = await env.api.call('GET', `/servers?${query}&sort=name`);
      return (body.servers as { name: string }[]).map((s) => s.name).filter((n) => n.startsWith('sel-'));
    };
    const q = (selector: string): string => `label_selector=${encodeURIComponent(selector)}`;
    assert.deepEqual(await names('name=sel-staging'), ['sel-staging']);
    assert.deepEqual(await names('name=sel'), []);
    assert.deepEqual(await names(q('env=prod,type!=database')), ['sel-prod-web']);
    assert.deepEqual(await names(q('env==staging')), ['sel-staging']);
    assert.deepEqual(await names(q('env in (staging,testing)')), ['sel-staging']);
    assert.deepEqual(await names(q('env,!type')), ['sel-staging']);
    assert.deepEqual(await names(q('type notin (web)')), ['sel-prod-db', 'sel-staging']);
    const bad = await env.api.call('GET', `/servers?${q('env=(')}`);
    assert.equal(bad.status, 422);
  });

  it('answers 409 uniqueness_error for a taken server name and SSH key, without side effects', async () => {
    await env.api.call('POST', '/servers', serverBody('unique-1'));
    const again = await env.api.call('POST', '/servers', serverBody('unique-1'));
    assert.equal(again.status, 409);
    assertEnvelope(again.body, 'uniqueness_error');
    assert.equal((again.body.error as { message: string }).message, 'server name is already used');
    const { body } = await env.api.call('GET', '/servers?name=unique-1');
    assert.equal((body.servers as unknown[]).length, 1);
  });

  it('serves the catalogue: images by name and architecture, server types, locations', async () => {
    const arm = await env.api.call('GET', '/images?name=debian-13&architecture=arm&include_deprecated=true');
    const images = arm.body.images as { id: number; architecture: string; type: string }[];
    assert.equal(images.length, 1);
    const [image] = images;
    assert.ok(image);
    assert.equal(image.architecture, 'arm');
    const one = await env.api.call('GET', `/images/${image.id}`);
    assert.equal((one.body.image as { id: number }).id, image.id);
    const type = await env.api.call('GET', '/server_types?name=cpx22');
    const serverType = (type.body.server_types as Record<string, unknown>[])[0];
    for (const field of ['id', 'name', 'cores', 'memory', 'disk', 'architecture', 'prices', 'locations'])
      assert.ok(serverType && field in serverType, field);
    assert.equal((await env.api.call('GET', '/locations/1')).body.location !== undefined, true);
  });

  it('answers 429 rate_limit_exceeded once the hourly budget is spent', async () => {
    const limited = await startSimCloud({ bootSystems: false, rateLimitPerHour: 3 });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await limited.api.call('GET', '/locations')).status, 200);
      const refused = await limited.api.call('GET', '/locations');
      assert.equal(refused.status, 429);
      assert.equal((refused.body.error as { code: string }).code, 'rate_limit_exceeded');
      assert.equal(refused.headers.get('ratelimit-remaining'), '0');
      assert.ok(Number(refused.headers.get('ratelimit-reset')) > Date.now() / 1000);
    } finally {
      await limited.stop();
    }
  });
});
