// Readable examples of Go's url.ParseRequestURI as ported (go1.26.8). The proof that these are
// Go's answers is parse-request-uri.differential.test.ts; these tests need no Go.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goQuote, utf8ByteString } from './go-strings.js';
import {
  isParseRequestUriError,
  parseRequestURI,
  parseRequestURIBytes,
  type ParsedRequestUri,
  type ParseRequestUriErrorKind,
} from './parse-request-uri.js';

function parsed(input: string, options = {}): ParsedRequestUri {
  const result = parseRequestURI(input, options);
  if (isParseRequestUriError(result)) assert.fail(`${input}: ${result.message}`);
  return result;
}

describe('parseRequestURI: accepted forms', () => {
  const accepted: [string, Partial<ParsedRequestUri>][] = [
    ['oci://ghcr.io/example/foo:v1', { scheme: 'oci', host: 'ghcr.io', path: '/example/foo:v1' }],
    ['https://example.com/x.tar.gz', { scheme: 'https', host: 'example.com', path: '/x.tar.gz' }],
    ['HTTPS://Example.COM/', { scheme: 'https', host: 'Example.COM', path: '/' }], // only the scheme is lower-cased
    ['/just/a/path', { scheme: '', host: '', path: '/just/a/path' }], // no scheme needed with a leading '/'
    ['//x/y', { scheme: '', host: '', path: '//x/y' }], // without a scheme, '//' is just a path
    ['*', { path: '*', escapedPath: '*', requestUri: '*' }],
    ['a:b', { scheme: 'a', opaque: 'b' }], // rootless: opaque
    ['oci:foo?x', { scheme: 'oci', opaque: 'foo', rawQuery: 'x' }],
    ['mailto:user@example.com', { scheme: 'mailto', opaque: 'user@example.com', host: '' }],
    ['http:', { scheme: 'http', opaque: '', host: '', path: '', requestUri: '/' }],
    ['http://', { scheme: 'http', host: '', path: '' }],
    ['x:/a', { scheme: 'x', host: '', path: '/a', omitHost: true }],
    // "'" is escaped by Go's default path escaping, so RawPath keeps the form as written.
    ["oci://h/a'b", { host: 'h', path: "/a'b", rawPath: "/a'b", escapedPath: "/a'b" }],
    ['http://h/a b', { path: '/a b', rawPath: '/a b', escapedPath: '/a%20b' }],
    ['http://h/a%2fb', { path: '/a/b', rawPath: '/a%2fb', escapedPath: '/a%2fb' }],
    ['http://h/%C3%A9', { path: '/é', rawPath: '', escapedPath: '/%C3%A9' }],
    ['http://h/a#b', { path: '/a#b', escapedPath: '/a%23b' }], // no fragment: '#' stays in the path
    ['http://h/?q#f', { path: '/', rawQuery: 'q#f' }],
    ['http://h/?', { rawQuery: '', forceQuery: true, requestUri: '/?' }],
    ['http://h/??', { rawQuery: '?', forceQuery: false }],
    ['http://h/a?x=1&y=%zz', { rawQuery: 'x=1&y=%zz' }], // the query is not unescaped or checked
    ['http://h:8080/', { host: 'h:8080' }],
    ['http://h:/', { host: 'h:' }], // an empty port is fine
    ['http://h:99999999/', { host: 'h:99999999' }], // no range check
    ['http://a:b:1/', { host: 'a:b:1' }], // the last colon starts the port (see strictColons)
    ['postgres://h1:5432,h2:5432/db', { host: 'h1:5432,h2:5432' }],
    ['http://[::1]:80/', { host: '[::1]:80' }],
    ['http://[fe80::1%25en0]/', { host: '[fe80::1%en0]' }], // %25 introduces the zone
    ['http://[fe80::1%25%20x]/', { host: '[fe80::1% x]' }],
    ['http://[::ffff:1.2.3.4]/', { host: '[::ffff:1.2.3.4]' }], // IPv4-mapped IPv6 is fine
    ['http://é.com/', { host: 'é.com' }], // non-ASCII hosts are allowed as they are
    ['http://%C3%A9.com/', { host: 'é.com' }], // and so are escapes of non-ASCII bytes
    ['http://a%25b/', { host: 'a%b' }], // %25 is allowed in any host
    ['http://a]/', { host: 'a]' }],
    ["http://!$&'()*+,;=/", { host: "!$&'()*+,;=" }],
    // %ff is byte 0xff: not UTF-8, so the text result shows U+FFFD (parseRequestURIBytes keeps it).
    ['http://h/%ff', { path: '/\ufffd', rawPath: '/%ff', escapedPath: '/%ff' }],
  ];
  for (const [input, expected] of accepted) {
    it(`accepts ${JSON.stringify(input)}`, () => {
      const url = parsed(input);
      for (const [field, value] of Object.entries(expected)) {
        assert.deepEqual(url[field as keyof ParsedRequestUri], value, field);
      }
    });
  }

  it('splits userinfo at the last @ and the password at the first colon', () => {
    assert.deepEqual(parsed('http://u:p:q@h/').user, { username: 'u', password: 'p:q', passwordSet: true });
    assert.deepEqual(parsed('http://a@b@c/').user, { username: 'a@b', password: '', passwordSet: false });
    assert.deepEqual(parsed('http://u%40x:@h/').user, { username: 'u@x', password: '', passwordSet: true });
    assert.equal(parsed('http://h/').user, undefined);
  });
});

describe('parseRequestURI: errors', () => {
  const rejected: [string, ParseRequestUriErrorKind, string][] = [
    ['not-a-valid-url', 'invalid-uri-for-request', 'parse "not-a-valid-url": invalid URI for request'],
    ['1http://x', 'invalid-uri-for-request', 'parse "1http://x": invalid URI for request'],
    [' http://h/', 'invalid-uri-for-request', 'parse " http://h/": invalid URI for request'],
    ['', 'empty-url', 'parse "": empty url'],
    [':foo', 'missing-protocol-scheme', 'parse ":foo": missing protocol scheme'],
    ['\x01', 'invalid-control-character', 'parse "\\x01": net/url: invalid control character in URL'],
    [
      'http://h/a\tb',
      'invalid-control-character',
      'parse "http://h/a\\tb": net/url: invalid control character in URL',
    ],
    ['/\x7f', 'invalid-control-character', 'parse "/\\x7f": net/url: invalid control character in URL'],
    ['oci://h/%zz', 'invalid-url-escape', 'parse "oci://h/%zz": invalid URL escape "%zz"'],
    ['/a%2', 'invalid-url-escape', 'parse "/a%2": invalid URL escape "%2"'],
    ['/%', 'invalid-url-escape', 'parse "/%": invalid URL escape "%"'],
    ['http://h%41/', 'invalid-url-escape', 'parse "http://h%41/": invalid URL escape "%41"'],
    [
      'http://[fe80::1%25%80]/',
      'invalid-url-escape',
      'parse "http://[fe80::1%25%80]/": invalid URL escape "%80"',
    ],
    ['http://u%zz@h/', 'invalid-url-escape', 'parse "http://u%zz@h/": invalid URL escape "%zz"'],
    ['http://u p@h/', 'invalid-userinfo', 'parse "http://u p@h/": net/url: invalid userinfo'],
    ['http://ü@h/', 'invalid-userinfo', 'parse "http://ü@h/": net/url: invalid userinfo'],
    ['http://a b/', 'invalid-character-in-host', 'parse "http://a b/": invalid character " " in host name'],
    ['http://h{/', 'invalid-character-in-host', 'parse "http://h{/": invalid character "{" in host name'],
    ['http://h#/', 'invalid-character-in-host', 'parse "http://h#/": invalid character "#" in host name'],
    // The host is checked before the userinfo.
    [
      'http://a b@c d/',
      'invalid-character-in-host',
      'parse "http://a b@c d/": invalid character " " in host name',
    ],
    ['http://h:x/', 'invalid-port', 'parse "http://h:x/": invalid port ":x" after host'],
    ['http://[::1]x/', 'invalid-port', 'parse "http://[::1]x/": invalid port "x" after host'],
    ['http://[::1/', 'missing-bracket-in-host', `parse "http://[::1/": missing ']' in host`],
    ['http://a[b]/', 'invalid-ip-literal', 'parse "http://a[b]/": invalid IP-literal'],
    ['http://[1.2.3.4]/', 'invalid-ip-literal', 'parse "http://[1.2.3.4]/": invalid IP-literal'],
    [
      'http://[v1.x]/',
      'invalid-host',
      'parse "http://[v1.x]/": invalid host: ParseAddr("v1.x"): unexpected character (at "v1.x")',
    ],
    [
      'http://[1:2]/',
      'invalid-host',
      'parse "http://[1:2]/": invalid host: ParseAddr("1:2"): address string too short',
    ],
    [
      'http://[fe80::1%25]/',
      'invalid-host',
      'parse "http://[fe80::1%25]/": invalid host: ParseAddr("fe80::1%"): zone must be a non-empty string',
    ],
  ];
  for (const [input, kind, message] of rejected) {
    it(`rejects ${JSON.stringify(input)} (${kind})`, () => {
      assert.deepEqual(parseRequestURI(input), { kind, message });
    });
  }
});

describe('parseRequestURI: strictColons (Go 1.26 with GODEBUG urlstrictcolons=1)', () => {
  const cases: [string, boolean][] = [
    ['http://a:b:1/', false],
    ['https://h:1:2/', false],
    ['oci://a:b:1/', true], // only http and https are strict
    ['http://h:80/', true],
  ];
  for (const [input, accepted] of cases) {
    it(`${accepted ? 'accepts' : 'rejects'} ${input}`, () => {
      assert.equal(isParseRequestUriError(parseRequestURI(input, { strictColons: true })), !accepted);
      assert.equal(isParseRequestUriError(parseRequestURI(input)), false);
    });
  }
  it('names the whole colon-port in the error', () => {
    assert.deepEqual(parseRequestURI('http://a:b:1/', { strictColons: true }), {
      kind: 'invalid-port',
      message: 'parse "http://a:b:1/": invalid port ":b:1" after host',
    });
  });
});

describe('parseRequestURI: bytes and quoting', () => {
  it('quotes the input as Go %q does: printable runes as they are, the rest escaped', () => {
    const message = (input: string): string => {
      const result = parseRequestURI(input);
      return isParseRequestUriError(result) ? result.message : '';
    };
    assert.equal(message('\x01é😀'), 'parse "\\x01é😀": net/url: invalid control character in URL');
    assert.equal(
      message('\x01\u00ad\u2028'),
      'parse "\\x01\\u00ad\\u2028": net/url: invalid control character in URL',
    );
    assert.equal(
      message('\x01\u{e0001}"\\'),
      'parse "\\x01\\U000e0001\\"\\\\": net/url: invalid control character in URL',
    );
    assert.equal(
      message('\x01\x07\x08\x0b\x0c'),
      'parse "\\x01\\a\\b\\v\\f": net/url: invalid control character in URL',
    );
  });

  it('quotes invalid UTF-8 byte by byte', () => {
    assert.equal(goQuote('\xff\xe2\x82' + utf8ByteString('€')), '"\\xff\\xe2\\x82€"');
    assert.equal(goQuote('\xed\xa0\x80'), '"\\xed\\xa0\\x80"'); // an encoded surrogate is invalid
    const result = parseRequestURIBytes(new Uint8Array([0x2f, 0x25, 0xff, 0x7a]));
    assert.deepEqual(result, {
      kind: 'invalid-url-escape',
      message: 'parse "/%\\xffz": invalid URL escape "%\\xffz"',
    });
  });

  it('returns byte-exact fields from parseRequestURIBytes', () => {
    const result = parseRequestURIBytes(new Uint8Array(Buffer.from('http://h/%ff%C3%A9?\xfe', 'latin1')));
    assert.ok(!isParseRequestUriError(result));
    assert.deepEqual(Array.from(result.path), [0x2f, 0xff, 0xc3, 0xa9]);
    assert.deepEqual(Array.from(result.rawQuery), [0xfe]);
  });

  it('treats a lone surrogate as U+FFFD, as a Go API server decoding JSON would', () => {
    assert.deepEqual(parseRequestURI('\x01\ud800'), parseRequestURI('\x01\ufffd'));
    assert.equal(parsed('/\udc00').path, '/\ufffd');
  });

  it('never throws, even for very long inputs', () => {
    const long = 'http://h/' + '%zz'.repeat(100_000);
    assert.equal((parseRequestURI(long) as { kind: string }).kind, 'invalid-url-escape');
    assert.equal(parsed('/' + 'a'.repeat(1_000_000)).path.length, 1_000_001);
  });
});
