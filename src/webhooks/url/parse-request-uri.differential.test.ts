// Differential test: the TypeScript port of url.ParseRequestURI against Go itself. Every input is
// parsed by both; accept/reject, the error message (and so the kind) and, for accepted inputs,
// every URL field must be identical, byte for byte. Go is part of the project's test requirements:
// without it this test fails (it does not skip). The oracle is tools/gourl-oracle, built into
// .cache/gourl-oracle/. The generated inputs come from a seeded PRNG: GOURL_DIFF_SEED and
// GOURL_DIFF_COUNT explore other inputs; a failure prints the inputs to reproduce it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { goIsPrintRanges } from './go-strings.js';
import {
  parseRequestURI,
  parseRequestURIBytes,
  type ParseRequestUriErrorKind,
  type RequestUri,
} from './parse-request-uri.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const oracleSource = `${root}tools/gourl-oracle`;
const oracleBinary = `${root}.cache/gourl-oracle/gourl-oracle`;
const PORTED_GO = /^go1\.26(\.|$)/;

function goEnv(strictColons = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOCACHE: process.env.IMAGEURL_GOCACHE ?? `${root}.cache/go-build`,
    GOMODCACHE: process.env.IMAGEURL_GOMODCACHE ?? `${root}.cache/go-mod`,
    GOFLAGS: '-modcacherw',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOWORK: 'off',
  };
  delete env.GODEBUG;
  if (strictColons) env.GODEBUG = 'urlstrictcolons=1';
  return env;
}

let builtOracle: string | undefined;

/** Builds the oracle once per test process; fails (never skips) without Go. Returns Go's version. */
function oracle(): string {
  builtOracle ??= buildOracle();
  return builtOracle;
}

function buildOracle(): string {
  const version = spawnSync('go', ['version'], { env: goEnv(), encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    assert.fail(
      "Go is required for the differential test of src/webhooks/url (it runs Go's url.ParseRequestURI " +
        `as the oracle): install Go 1.26 and put \`go\` on PATH (${String(version.error ?? version.stderr)})`,
    );
  }
  mkdirSync(`${root}.cache/gourl-oracle`, { recursive: true });
  const temporary = `${oracleBinary}.${process.pid}.tmp`;
  const build = spawnSync('go', ['build', '-trimpath', '-o', temporary, '.'], {
    cwd: oracleSource,
    env: goEnv(),
    encoding: 'utf8',
  });
  if (build.status !== 0) assert.fail(`building tools/gourl-oracle failed:\n${build.stderr}`);
  renameSync(temporary, oracleBinary);
  const goVersion = runOracleRaw(['-version'], '', goEnv()).trim();
  assert.match(
    goVersion,
    PORTED_GO,
    `the port follows go1.26's net/url; the oracle was built with ${goVersion}`,
  );
  return goVersion;
}

function runOracleRaw(args: string[], input: string, env: NodeJS.ProcessEnv): string {
  const run = spawnSync(oracleBinary, args, { input, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) assert.fail(`gourl-oracle ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

interface OracleUser {
  username: string;
  password: string;
  passwordSet: boolean;
}

/** The oracle's fields; strings are base64 of Go's bytes. */
interface OracleUrl {
  scheme: string;
  opaque: string;
  user: OracleUser | null;
  host: string;
  path: string;
  rawPath: string;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  omitHost: boolean;
  escapedPath: string;
  requestURI: string;
}

interface OracleAnswer {
  id: number;
  ok: boolean;
  url?: OracleUrl;
  message?: string;
}

interface DiffCase {
  /** The input as bytes (a Go string). */
  bytes: Uint8Array;
  /** Set when the input is a JS string: it is also sent as JSON text and parsed with parseRequestURI. */
  text?: string;
}

type Verdict =
  { ok: false; kind: ParseRequestUriErrorKind | undefined; message: string } | { ok: true; url: object };

function askOracle(requests: object[], strictColons: boolean): OracleAnswer[] {
  const input = requests.map((request) => JSON.stringify(request)).join('\n');
  const lines = runOracleRaw([], input, goEnv(strictColons)).trim().split('\n');
  assert.equal(lines.length, requests.length, 'one oracle answer per input');
  return lines.map((line) => JSON.parse(line) as OracleAnswer);
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromB64 = (text: string): string => Buffer.from(text, 'base64').toString('utf8');

/** Go's answer in the shape of ours; `decode` maps Go's base64 fields to what our API returns. */
function goVerdict(answer: OracleAnswer, decode: (field: string) => string): Verdict {
  if (!answer.ok || !answer.url)
    return { ok: false, kind: expectedKind(answer.message ?? ''), message: answer.message ?? '' };
  const u = answer.url;
  assert.equal(u.fragment, '', 'ParseRequestURI never sets Fragment');
  const user = u.user && {
    username: decode(u.user.username),
    password: decode(u.user.password),
    passwordSet: u.user.passwordSet,
  };
  return {
    ok: true,
    url: {
      scheme: decode(u.scheme),
      opaque: decode(u.opaque),
      user,
      host: decode(u.host),
      path: decode(u.path),
      rawPath: decode(u.rawPath),
      forceQuery: u.forceQuery,
      rawQuery: decode(u.rawQuery),
      omitHost: u.omitHost,
      escapedPath: decode(u.escapedPath),
      requestUri: decode(u.requestURI),
    },
  };
}

function ourVerdict<S>(
  result: RequestUri<S> | { kind: ParseRequestUriErrorKind; message: string },
  encode: (field: S) => string,
): Verdict {
  if ('kind' in result) return { ok: false, kind: result.kind, message: result.message };
  const user = result.user
    ? {
        username: encode(result.user.username),
        password: encode(result.user.password),
        passwordSet: result.user.passwordSet,
      }
    : null;
  return {
    ok: true,
    url: {
      scheme: encode(result.scheme),
      opaque: encode(result.opaque),
      user,
      host: encode(result.host),
      path: encode(result.path),
      rawPath: encode(result.rawPath),
      forceQuery: result.forceQuery,
      rawQuery: encode(result.rawQuery),
      omitHost: result.omitHost,
      escapedPath: encode(result.escapedPath),
      requestUri: encode(result.requestUri),
    },
  };
}

/** The kind for each of Go's error texts, read from Go's message (independently of the port). */
const KIND_PATTERNS: [RegExp, ParseRequestUriErrorKind][] = [
  [/: net\/url: invalid control character in URL$/, 'invalid-control-character'],
  [/: empty url$/, 'empty-url'],
  [/: missing protocol scheme$/, 'missing-protocol-scheme'],
  [/: invalid URI for request$/, 'invalid-uri-for-request'],
  [/: net\/url: invalid userinfo$/, 'invalid-userinfo'],
  [/: invalid URL escape "(?:[^"\\]|\\.)*"$/, 'invalid-url-escape'],
  [/: invalid character "(?:[^"\\]|\\.)*" in host name$/, 'invalid-character-in-host'],
  [/: invalid port "(?:[^"\\]|\\.)*" after host$/, 'invalid-port'],
  [/: missing '\]' in host$/, 'missing-bracket-in-host'],
  [/: invalid IP-literal$/, 'invalid-ip-literal'],
  [/": invalid host: ParseAddr\("/, 'invalid-host'],
];

const ALL_KINDS = new Set(KIND_PATTERNS.map(([, kind]) => kind));

function expectedKind(message: string): ParseRequestUriErrorKind | undefined {
  return KIND_PATTERNS.find(([pattern]) => pattern.test(message))?.[1];
}

interface Mismatch {
  input: string;
  mode: string;
  go: Verdict;
  ours: Verdict;
}

/** Compares every case in one GODEBUG mode; returns the mismatches. */
interface Comparison {
  compared: number;
  mismatches: Mismatch[];
  /** How often Go accepted ('ok') or gave each error kind. */
  outcomes: Map<string, number>;
}

function compare(cases: DiffCase[], strictColons: boolean): Comparison {
  const mode = strictColons ? 'urlstrictcolons=1' : 'default';
  const textCases = cases.filter((c) => c.text !== undefined);
  const requests = [
    ...cases.map((c, id) => ({ id, b64: b64(c.bytes) })),
    ...textCases.map((c, id) => ({ id: cases.length + id, input: c.text })),
  ];
  const answers = askOracle(requests, strictColons);
  const mismatches: Mismatch[] = [];
  const outcomes = new Map<string, number>();
  const record = (input: string, go: Verdict, ours: Verdict): void => {
    const outcome = go.ok ? 'ok' : (go.kind ?? 'unknown');
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    if (JSON.stringify(go) !== JSON.stringify(ours)) mismatches.push({ input, mode, go, ours });
  };
  cases.forEach((c, id) => {
    const ours = parseRequestURIBytes(c.bytes, { strictColons });
    const go = goVerdict(answers[id] as OracleAnswer, (field) => field);
    record(
      `bytes ${b64(c.bytes)} (${JSON.stringify(Buffer.from(c.bytes).toString('latin1'))})`,
      go,
      ourVerdict(ours, b64),
    );
  });
  textCases.forEach((c, id) => {
    const text = c.text ?? '';
    const ours = parseRequestURI(text, { strictColons });
    const go = goVerdict(answers[cases.length + id] as OracleAnswer, fromB64);
    record(
      `text ${JSON.stringify(text)}`,
      go,
      ourVerdict(ours, (field: string) => field),
    );
  });
  return { compared: requests.length, mismatches, outcomes };
}

function report(mismatches: Mismatch[]): string {
  return mismatches
    .slice(0, 15)
    .map((m) => `${m.input} [${m.mode}]\n  go:   ${JSON.stringify(m.go)}\n  ours: ${JSON.stringify(m.ours)}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Inputs

const LONG = 'a'.repeat(5000);

/** Hand-picked inputs, by topic. */
const HAND_PICKED: string[] = [
  // Known verdicts of Go's url.ParseRequestURI on imageURL values (CAPH's webhook runs it)
  'oci://ghcr.io/example/foo:v1',
  'https://example.com/x.tar.gz',
  'not-a-valid-url',
  '/just/a/path',
  "oci://h/a'b",
  'oci://h/%zz',
  'https://example.com/disk.img.zst',
  'oci://ghcr.io/org/image:v1',
  'oci://registry.example.com:5000/a/b@sha256:0123456789abcdef',
  // Empty, '*', bare schemes, no scheme
  '',
  '*',
  '**',
  '*/',
  '/*',
  ' *',
  'http:',
  'http://',
  'http:///',
  'http:////x',
  'http:/',
  'http:/x',
  'http:x',
  'http:?',
  'http:?x',
  'http://?',
  'http://#',
  '//x',
  '//',
  '///',
  '/',
  '/?',
  '/??',
  '/?#',
  '?',
  '?x',
  '#x',
  'x',
  '.',
  '..',
  './x',
  '../x',
  // Scheme rules
  'a:b',
  'a:',
  ':foo',
  ':',
  '::',
  ':/x',
  '1http://x',
  '1:x',
  '+a:x',
  '-a:x',
  '.a:x',
  'a1+-.:x',
  'a1+-.://h/p',
  'HTTP://EXAMPLE.COM/',
  'HtTpS://h/',
  'h_t://x',
  'h~t://x',
  'h t://x',
  'h%74tp://x',
  'é://x',
  'mailto:user@example.com',
  'urn:isbn:0451450523',
  'oci:foo',
  'oci:foo/bar',
  'oci:/foo',
  'oci:./x',
  'file:///etc/passwd',
  'file://localhost/etc/passwd',
  'data:text/plain,hello world',
  'javascript:alert(1)',
  'x:%zz',
  'x:%',
  'x:a b',
  'x:/%zz',
  'x:/a b',
  'x:?%zz',
  // Fragments are not split off, '#' is an ordinary byte
  'http://h/a#b',
  'http://h/#',
  'http://h#frag',
  'http://h/?a#b',
  'http://h/a?b#c?d',
  'oci://h/x#%zz',
  'oci://h/x#%41',
  '/a#b',
  'oci:x#y',
  // Query
  'http://h?',
  'http://h??',
  'http://h/?',
  'http://h/??',
  'http://h/?a?',
  'http://h/?a?b',
  'http://h/a?%zz',
  'http://h/a?%',
  'http://h/a?a b',
  'http://h/a?x=1&y=2',
  'http://h/a?;$`|',
  '/a?b?',
  '/a??',
  // Paths
  'http://h/a b',
  'http://h/a%20b',
  'http://h/a%2fb',
  'http://h/a%2Fb',
  'http://h/a%2',
  'http://h/a%',
  'http://h/%',
  'http://h/%%',
  'http://h/%%41',
  'http://h/%4',
  'http://h/%41',
  'http://h/%g1',
  'http://h/%1g',
  'http://h/%ff',
  'http://h/%FF%fe',
  'http://h/%00',
  'http://h/%7f',
  'http://h/%3f',
  'http://h/%25',
  'http://h/%2525',
  'http://h/a+b',
  'http://h/;$&=+,:@',
  "http://h/!'()*",
  'http://h/[]',
  'http://h/{}|\\^`',
  'http://h/<>"',
  'http://h/~_.-',
  'http://h/é',
  'http://h/%C3%A9',
  'http://h/%c3%a9',
  'http://h/日本',
  'http://h/😀',
  'http://h/\u00ad',
  'http://h/\u200b',
  'http://h/\ufeff',
  'http://h/\ufffd',
  'http://h/\u{10ffff}',
  'http://h/\u{e0001}',
  'http://h/a/../b/./c',
  'http://h//a//b',
  "/a'b;rm -rf /",
  '/$(id)',
  '/`id`',
  // Authority: userinfo
  'http://u@h/',
  'http://u:p@h/',
  'http://u:@h/',
  'http://:p@h/',
  'http://:@h/',
  'http://@h/',
  'http://@/',
  'http://u@/',
  'http://u:p:q@h/',
  'http://a@b@c/',
  'http://a:b@c:d@e/',
  'http://username:p@ssword@google.com/',
  'http://u%40x:p%3Ay@h/',
  'http://u%zz@h/',
  'http://u:%zz@h/',
  'http://u%@h/',
  'http://u:p%2@h/',
  "http://-._~!$&'()*+,;=@h/",
  'http://u p@h/',
  'http://u"p@h/',
  'http://u<p@h/',
  'http://u[p]@h/',
  'http://u/p@h/',
  'http://u?p@h/',
  'http://u#p@h/',
  'http://u|p@h/',
  'http://ü@h/',
  'http://u:ü@h/',
  'http://u%C3%BC@h/',
  'http://a b@c d/',
  'http://a b@h/',
  'http://u@h h/',
  'http://u@[::1]:80/',
  'http://u@[1.2.3.4]/',
  'http://u:p@/x',
  // Authority: ports
  'http://h:80/',
  'http://h:/',
  'http://h:',
  'http://h:x/',
  'http://h:80x/',
  'http://h:-1/',
  'http://h:+1/',
  'http://h: 80/',
  'http://h:99999999999999999999/',
  'http://h:080/',
  'http://h:8%30/',
  'http://h:80:90/',
  'http://h:80:/',
  'http://a:b:1/',
  'https://a:b:1/',
  'HTTP://a:b:1/',
  'oci://a:b:1/',
  'oci://a:1:b/',
  'postgres://h1:5432,h2:5432/db',
  'mongodb://h1:1,h2:2,h3/db',
  'http://h1:1,h2:2/',
  'http://:80/',
  'http://:/',
  'http://::/',
  'http://:::1/',
  'http://1.2.3.4:80/',
  'http://1.2.3.4:x/',
  'http://::1/',
  'http://::1:80/',
  'http://fe80::1/',
  // Authority: host characters and escapes
  'http://h h/',
  'http://h{/',
  'http://h}/',
  'http://h|/',
  'http://h\\/',
  'http://h^/',
  'http://h`/',
  'http://h#/',
  'http://h%/',
  'http://h%2/',
  'http://h%zz/',
  'http://h%41/',
  'http://h%7f/',
  'http://h%80/',
  'http://h%ff/',
  'http://h%25/',
  'http://a%25b/',
  'http://%25/',
  'http://h%2525/',
  'http://%C3%A9.com/',
  'http://%c3%a9.com/',
  'http://é.com/',
  'http://日本.jp/',
  'http://xn--nxasmq6b.com/',
  "http://!$&'()*+,;=/",
  'http://<>"/',
  'http://a]/',
  'http://]/',
  'http://h.example.com./',
  'http://-h-/',
  'http://_h_/',
  'http://~h~/',
  'http://h\u00a0/',
  'http://h\u3000/',
  'http://h/\u0085',
  'http://' + LONG + '/',
  'http://h:' + '9'.repeat(3000) + '/',
  // Authority: IP literals, zones, brackets
  'http://[::1]/',
  'http://[::1]:80/',
  'http://[::1]:/',
  'http://[::1]:x/',
  'http://[::1]x/',
  'http://[::1]80/',
  'http://[::1]:80:90/',
  'http://[::1]]/',
  'http://[[::1]/',
  'http://[::1/',
  'http://[::1',
  'http://[/',
  'http://[]/',
  'http://[]:80/',
  'http://]/',
  'http://a[::1]/',
  'http://a[/',
  'http://a[b]/',
  'http://u@a[b]/',
  'http://[::]/',
  'http://[::%25en0]/',
  'http://[::1%25en0]/',
  'http://[fe80::1%25en0]:8080/',
  'http://[fe80::1%25]/',
  'http://[fe80::1%2525]/',
  'http://[fe80::1%25%25]/',
  'http://[fe80::1%25en0%25x]/',
  'http://[fe80::1%25%20]/',
  'http://[fe80::1%25%41]/',
  'http://[fe80::1%25%2f]/',
  'http://[fe80::1%25%80]/',
  'http://[fe80::1%25%ff]/',
  'http://[fe80::1%25%zz]/',
  'http://[fe80::1%25a b]/',
  'http://[fe80::1%25a/b]/',
  'http://[fe80::1%25é]/',
  'http://[fe80::1%25%C3%A9]/',
  'http://[fe80::1%en0]/',
  'http://[fe80::1%]/',
  'http://[fe80::1%41]/',
  'http://[fe80::1%80]/',
  'http://[%25en0]/',
  'http://[%25]/',
  'http://[1.2.3.4]/',
  'http://[1.2.3.4]:80/',
  'http://[1.2.3.4%25en0]/',
  'http://[::ffff:1.2.3.4]/',
  'http://[::ffff:1.2.3]/',
  'http://[::ffff:1.2.3.4.5]/',
  'http://[::ffff:1.2.3.256]/',
  'http://[::ffff:01.2.3.4]/',
  'http://[::ffff:1..3.4]/',
  'http://[::ffff:.2.3.4]/',
  'http://[::ffff:1.2.3.]/',
  'http://[::ffff:1.2.3.x]/',
  'http://[1:2:3:4:5:6:1.2.3.4]/',
  'http://[1:2:3:4:5:1.2.3.4]/',
  'http://[1:2:3:4:5:6:7:1.2.3.4]/',
  'http://[::1.2.3.4]/',
  'http://[1::1.2.3.4]/',
  'http://[1:2:3:4:5:6:7:8]/',
  'http://[1:2:3:4:5:6:7::1.2.3.4]/',
  'http://[1:2:3:4::5:6:7:8]/',
  'http://[::1:2:3:4:5:6:7:8]/',
  'http://[1:2:3:4:5:6:7:8::]/',
  'http://[::ffff:1.2.3.4%25en0]/',
  'http://[1:2:3:4:5:6:7:8:9]/',
  'http://[1:2:3:4:5:6:7]/',
  'http://[1:2:3:4:5:6:7::]/',
  'http://[::1:2:3:4:5:6:7]/',
  'http://[1::2::3]/',
  'http://[1:::2]/',
  'http://[12345::]/',
  'http://[ffff::]/',
  'http://[FFFF::]/',
  'http://[g::]/',
  'http://[:1]/',
  'http://[1:]/',
  'http://[1:2]/',
  'http://[::1::]/',
  'http://[v1.fe]/',
  'http://[v7.abc]/',
  'http://[abc]/',
  'http://[a.b]/',
  'http://[1.2.3]/',
  'http://[01.2.3.4]/',
  'http://[0.0.0.0]/',
  'http://[256.1.1.1]/',
  'http://[%41::1]/',
  'http://[%C3%A9::1]/',
  'http://[é::1]/',
  'http://[::1 ]/',
  'http://[::1%25 ]/',
  'oci://[::1]:5000/img:v1',
  'oci://[fe80::1%25eth0]/img',
  // Control characters, DEL and friends
  '\x01',
  '\x00',
  '\t',
  '\n',
  '\r\n',
  '\x1f',
  '\x7f',
  'http://h/\t',
  'http://h/a\nb',
  'http://h\r/',
  'http://h/\x7f',
  '\x07\x08\x0b\x0c',
  '\x1b[31m',
  ' ',
  '  /x',
  ' http://h/',
  'http://h/ ',
  'http://h /',
  '/ ',
  // Non-ASCII inputs quoted in error messages
  'é',
  '日本語',
  '😀',
  '\u00ad',
  '\u0378',
  '\u2028',
  '\u{1f600}x',
  '\u{e0100}',
  '\u{10fffd}',
  '\u{fffe}',
  '\ufffd',
  'ŝ://x',
  'x\u{1f600}:y',
  '\x01é😀\u00ad\u2028"\\',
  '\x01"',
  '\x01\\',
  "\x01'",
  // Lone surrogates (become U+FFFD in UTF-8, as in a Go API server)
  '\ud800',
  '\udfff',
  'http://h/\ud800',
  'http://h\udc00/',
  '\x01\ud83d',
  // Long inputs
  '/' + LONG,
  'http://h/' + '%41'.repeat(2000),
  'http://h/' + '%zz'.repeat(2000),
  'http://h/?' + 'x='.repeat(3000),
  'x:' + LONG,
  LONG,
  LONG + ':',
  '\x01' + LONG,
];

const enc = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

function handPickedCases(): DiffCase[] {
  return HAND_PICKED.map((text) => ({ text, bytes: enc(text) }));
}

/** Byte strings that are not UTF-8 (or at its edges), in each part of a URL and in error messages. */
function byteCases(): DiffCase[] {
  const odd: number[][] = [
    [0x80],
    [0xff],
    [0xc0, 0xaf],
    [0xc1, 0xbf],
    [0xc2],
    [0xc2, 0x80],
    [0xdf, 0xbf],
    [0xe0, 0x80, 0x80],
    [0xe0, 0xa0, 0x80],
    [0xe2, 0x82],
    [0xe2, 0x82, 0xac],
    [0xed, 0xa0, 0x80],
    [0xed, 0x9f, 0xbf],
    [0xef, 0xbf, 0xbd],
    [0xef, 0xbf, 0xbe],
    [0xf0, 0x80, 0x80, 0x80],
    [0xf0, 0x90, 0x80, 0x80],
    [0xf0, 0x9f, 0x98],
    [0xf4, 0x8f, 0xbf, 0xbf],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf5, 0x80, 0x80, 0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xfe, 0xfe, 0xff, 0xff],
  ];
  const templates: [string, string][] = [
    ['\x01', ''],
    ['', ''],
    ['http://h/', ''],
    ['http://h/', '%zz'],
    ['http://', '/'],
    ['http://', ' /'],
    ['http://', '%zz/'],
    ['http://', ':x/'],
    ['http://u', '@h/'],
    ['http://[::1%25', ']/'],
    ['http://[', '::1]/'],
    ['http://h/?', ''],
    ['x:', ''],
    ['x', ':y'],
  ];
  const cases: DiffCase[] = [];
  for (const bytes of odd) {
    for (const [before, after] of templates) {
      cases.push({ bytes: new Uint8Array([...enc(before), ...bytes, ...enc(after)]) });
    }
  }
  // Every lead byte 0x80-0xff followed by each possible second byte class, in one message.
  for (let lead = 0x80; lead <= 0xff; lead++) {
    const bytes = [0x01];
    for (let second = 0x7f; second <= 0xc0; second++) bytes.push(lead, second, 0x80, 0x80, 0x41);
    cases.push({ bytes: new Uint8Array(bytes) });
  }
  return cases;
}

/** Every code point (surrogates aside) after a control byte, so that Go quotes it in the message. */
function quoteSweepCases(): DiffCase[] {
  const cases: DiffCase[] = [];
  const chunk = 8192;
  for (let start = 0; start <= 0x10ffff; start += chunk) {
    let text = '\x01';
    for (let cp = start; cp < Math.min(start + chunk, 0x110000); cp++) {
      if (cp < 0xd800 || cp > 0xdfff) text += String.fromCodePoint(cp);
    }
    cases.push({ bytes: enc(text), text });
  }
  return cases;
}

/** mulberry32: a small seeded PRNG, so the generated inputs are the same on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCHEMES = [
  '',
  '',
  'http:',
  'https:',
  'HTTP:',
  'oci:',
  'a:',
  'a1+-.:',
  '1http:',
  ':',
  'x_y:',
  'h t:',
  'é:',
];
const AUTHORITY_STARTS = ['//', '//', '//', '/', '///', '', '////'];
const USERINFOS = [
  '',
  '',
  '',
  'u@',
  'u:p@',
  ':@',
  '@',
  'a@b@',
  'u%41:p%zz@',
  'u p@',
  'ü@',
  "u!$&'()*+,;=:@",
  'u/p@',
];
const HOSTS = [
  'example.com',
  '',
  'h',
  'H',
  '1.2.3.4',
  '[::1]',
  '[fe80::1%25en0]',
  '[::ffff:1.2.3.4]',
  '[1.2.3.4]',
  '[v1.x]',
  'a[b]',
  '[::1',
  '::1',
  'h%25x',
  'h%41',
  'h%c3%a9',
  'é.com',
  'h h',
  'h{',
  'h#',
  '[]',
  '[fe80::1%25%80]',
  'a]',
];
const PORTS = ['', '', '', ':', ':80', ':x', ':1:2', ':080', ':99999', ':8%30', ':-1'];
const QUERIES = ['', '', '?', '??', '?a=b', '?a=b#c', '#frag', '?%zz', '?a b', '?%41', '#', '?#?'];
/** Characters for random segments: URL syntax, escapes and oddities weighted up. */
const CHAR_POOL = [
  ...Array.from('abcXYZ019-._~!$&\'()*+,;=:@/?#[]%% <>"{}|\\^`'),
  '%41',
  '%2f',
  '%zz',
  '%2',
  '%c3%a9',
  '%ff',
  '%25',
  'é',
  '日',
  '😀',
  '\u00ad',
  '\ufffd',
  '\u2028',
  '\x01',
  '\x7f',
  '\ud800',
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function randomSegment(random: () => number, maxLength: number): string {
  let out = '';
  const length = Math.floor(random() * maxLength);
  for (let i = 0; i < length; i++) out += pick(random, CHAR_POOL);
  return out;
}

const IP_POOL = Array.from('0123456789abcdefABCDEFg::::....%');
const ZONES = ['', '', '%25en0', '%25', '%25%20', '%25%41', '%25%80', '%25é', '%2525', '%', '%25a%zz'];

/** A random bracketed host: hex digits, colons and dots in random order, sometimes with a zone. */
function ipLiteral(random: () => number): string {
  let address = '';
  const length = Math.floor(random() * 24);
  for (let i = 0; i < length; i++) address += pick(random, IP_POOL);
  return `[${address}${pick(random, ZONES)}]`;
}

/** A URL assembled from parts, each part sometimes replaced by random characters. */
function structuredInput(random: () => number): string {
  const part = (list: readonly string[]): string =>
    random() < 0.15
      ? randomSegment(random, 6)
      : list === HOSTS && random() < 0.3
        ? ipLiteral(random)
        : pick(random, list);
  const path = random() < 0.8 ? '/' + randomSegment(random, 12) : randomSegment(random, 8);
  return (
    part(SCHEMES) +
    part(AUTHORITY_STARTS) +
    part(USERINFOS) +
    part(HOSTS) +
    part(PORTS) +
    path +
    part(QUERIES)
  );
}

/** A hand-picked input with a few random edits. */
function mutatedInput(random: () => number): string {
  let text = pick(random, HAND_PICKED).slice(0, 200);
  const edits = 1 + Math.floor(random() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (text.length + 1));
    const cut = random() < 0.5 ? 0 : 1 + Math.floor(random() * 3);
    text = text.slice(0, at) + (random() < 0.8 ? pick(random, CHAR_POOL) : '') + text.slice(at + cut);
  }
  return text;
}

function generatedCases(seed: number, count: number): DiffCase[] {
  const random = prng(seed);
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const text =
      roll < 0.6 ? structuredInput(random) : roll < 0.9 ? mutatedInput(random) : randomSegment(random, 20);
    cases.push(random() < 0.1 ? { bytes: withRandomBytes(random, enc(text)) } : { text, bytes: enc(text) });
  }
  return cases;
}

/** Raw bytes (mostly not UTF-8) spliced into an input, for the byte-level API. */
function withRandomBytes(random: () => number, bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    out.splice(Math.floor(random() * (out.length + 1)), 0, 0x80 + Math.floor(random() * 0x80));
  }
  return new Uint8Array(out);
}

describe('parseRequestURI equals Go url.ParseRequestURI (differential)', () => {
  const seed = Number(process.env.GOURL_DIFF_SEED ?? 0x5eed1e55);
  const count = Number(process.env.GOURL_DIFF_COUNT ?? 4000);

  it('agrees on hand-picked, byte-level and generated inputs, in both colon modes', () => {
    const started = Date.now();
    const goVersion = oracle();
    const cases = [...handPickedCases(), ...byteCases(), ...generatedCases(seed, count)];
    assert.ok(cases.length >= 500);
    let compared = 0;
    const mismatches: Mismatch[] = [];
    const outcomes = new Map<string, number>();
    for (const strictColons of [false, true]) {
      const run = compare(cases, strictColons);
      compared += run.compared;
      mismatches.push(...run.mismatches);
      for (const [outcome, n] of run.outcomes) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + n);
    }
    console.log(
      `gourl differential (${goVersion}, seed ${seed}): ${cases.length} inputs, ${compared} comparisons ` +
        `with Go in ${Date.now() - started} ms`,
    );
    console.log(`  Go's verdicts: ${[...outcomes].map(([outcome, n]) => `${outcome} ${n}`).join(', ')}`);
    assert.equal(mismatches.length, 0, `${mismatches.length} differences from Go:\n${report(mismatches)}`);
    assert.deepEqual(
      [...outcomes.keys()].filter((o) => o !== 'ok').sort(),
      [...ALL_KINDS].sort(),
      'the corpus reaches every error kind, and Go gives no error text without a kind',
    );
  });

  it('quotes every code point and invalid UTF-8 in error messages as Go does', () => {
    oracle();
    const cases = quoteSweepCases();
    const run = compare(cases, false);
    console.log(`gourl differential: quoting sweep, ${cases.length} inputs covering U+0000..U+10FFFF`);
    assert.equal(
      run.mismatches.length,
      0,
      `${run.mismatches.length} differences from Go:\n${report(run.mismatches)}`,
    );
  });

  it("embeds Go's strconv.IsPrint table unchanged", () => {
    oracle();
    const goRanges = JSON.parse(runOracleRaw(['-isprint'], '', goEnv())) as [number, number][];
    assert.deepEqual(
      goIsPrintRanges(),
      goRanges,
      'regenerate: (cd tools/gourl-oracle && go run . -isprint-ts) > src/webhooks/url/go-isprint-table.ts',
    );
  });
});
