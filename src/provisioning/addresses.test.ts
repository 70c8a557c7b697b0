import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstHostOf, serverAddresses } from './addresses.js';

describe('server addresses', () => {
  const cases: [string, string | undefined][] = [
    ['2001:db8:1:2::/64', '2001:db8:1:2::1'],
    ['2a01:4f8:c17:1d2d::/64', '2a01:4f8:c17:1d2d::1'],
    ['2001:db8::/64', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0000/64', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:ffff/128', '2001:db8::1:0:1:0'],
    ['::/64', '::1'],
    ['198.51.100.1/32', undefined],
    ['not-an-address', undefined],
  ];
  for (const [network, host] of cases) {
    it(`gives ${network} → ${String(host)} (CAPH: network base + 1)`, () => {
      assert.equal(firstHostOf(network), host);
    });
  }

  it('lists IPv4 first, then IPv6, as CAPH does', () => {
    const server = { id: 1, name: 'm', status: 'running', labels: {}, rescueEnabled: false } as const;
    assert.deepEqual(
      serverAddresses({ ...server, publicIPv4: '198.51.100.7', publicIPv6Network: '2001:db8::/64' }),
      [
        { type: 'ExternalIP', address: '198.51.100.7' },
        { type: 'ExternalIP', address: '2001:db8::1' },
      ],
    );
    assert.deepEqual(serverAddresses({ ...server, publicIPv6Network: '2001:db8::/64' }), [
      { type: 'ExternalIP', address: '2001:db8::1' },
    ]);
  });
});
