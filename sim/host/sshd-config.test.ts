import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSshdConfig } from './sshd-config.js';

describe('renderSshdConfig', () => {
  it('listens on the given address only and allows key logins only', () => {
    const config = renderSshdConfig({ address: '127.64.1.2', port: 22, hostKeyPath: '/run/key' });
    assert.match(config, /^ListenAddress 127\.64\.1\.2:22$/m);
    assert.match(config, /^HostKey \/run\/key$/m);
    assert.match(config, /^PasswordAuthentication no$/m);
    assert.match(config, /^PermitRootLogin prohibit-password$/m);
  });

  it('lets root log in with a password too when the system has one', () => {
    const config = renderSshdConfig({
      address: '127.64.1.2',
      port: 22,
      hostKeyPath: '/k',
      passwordLogin: true,
    });
    assert.match(config, /^PasswordAuthentication yes$/m);
    assert.match(config, /^PermitRootLogin yes$/m);
  });

  it('refuses values that would inject configuration', () => {
    assert.throws(
      () => renderSshdConfig({ address: '127.0.0.2 \nPermitRootLogin yes', port: 22, hostKeyPath: '/k' }),
      /sshd address must not contain spaces/,
    );
  });
});
