import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha512Crypt } from './sha512-crypt.js';

describe('sha512Crypt', () => {
  it('matches the reference vectors of the SHA-crypt specification', () => {
    assert.equal(
      sha512Crypt('Hello world!', 'saltstring'),
      '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
    );
    // Salts are cut to 16 characters.
    assert.equal(
      sha512Crypt(
        'a very much longer text to encrypt.  This one even stretches over morethan one line.',
        'toolongsaltstringxx',
      ).slice(0, 20),
      '$6$toolongsaltstrin$',
    );
  });

  it('draws a new 16-character salt each time when none is given', () => {
    const [a, b] = [sha512Crypt('pw'), sha512Crypt('pw')];
    assert.match(a, /^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    assert.notEqual(a, b);
  });
});
