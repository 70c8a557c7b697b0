import { createHash, randomBytes } from 'node:crypto';

const alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * SHA-512-crypt (`$6$salt$hash`, Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512", 5000
 * rounds): the form /etc/shadow holds, so a simulated rescue system can accept the root password
 * the API returned without touching the machine's own shadow file (Node has no crypt(3)).
 */
export function sha512Crypt(password: string, salt = randomSalt()): string {
  const key = Buffer.from(password, 'utf8');
  const saltBytes = Buffer.from(salt.slice(0, 16), 'utf8');
  const b = sha512(key, saltBytes, key);
  const a = createHash('sha512').update(key).update(saltBytes);
  a.update(repeat(b, key.length));
  for (let i = key.length; i > 0; i >>= 1) a.update(i & 1 ? b : key);
  let c: Buffer = a.digest();
  const p = repeat(sha512(...Array<Buffer>(key.length).fill(key)), key.length);
  const s = repeat(sha512(...Array<Buffer>(16 + (c[0] ?? 0)).fill(saltBytes)), saltBytes.length);
  for (let round = 0; round < 5000; round++) c = mixRound(round, c, p, s);
  return `$6$${saltBytes.toString('utf8')}$${encode(c)}`;
}

function mixRound(round: number, c: Buffer, p: Buffer, s: Buffer): Buffer {
  const h = createHash('sha512').update(round & 1 ? p : c);
  if (round % 3 !== 0) h.update(s);
  if (round % 7 !== 0) h.update(p);
  return h.update(round & 1 ? c : p).digest();
}

function sha512(...parts: Buffer[]): Buffer {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** `digest` repeated and cut to `length` bytes. */
function repeat(digest: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += digest.length)
    digest.copy(out, offset, 0, Math.min(digest.length, length - offset));
  return out;
}

/** The algorithm's own base64: fixed byte triples, least significant 6 bits first. */
function encode(c: Buffer): string {
  let out = '';
  const emit = (b2: number, b1: number, b0: number, chars: number): void => {
    let w = (b2 << 16) | (b1 << 8) | b0;
    for (let i = 0; i < chars; i++, w >>= 6) out += alphabet[w & 0x3f] ?? '';
  };
  for (let i = 0; i < 21; i++) {
    const [first, second, third] = triple(i);
    emit(c[first] ?? 0, c[second] ?? 0, c[third] ?? 0, 4);
  }
  emit(0, 0, c[63] ?? 0, 2);
  return out;
}

/** Triple i of the encoding order: (0,21,42), (22,43,1), (44,2,23), (3,24,45), … */
function triple(i: number): [number, number, number] {
  const first = i % 3 === 0 ? i : i % 3 === 1 ? i + 21 : i + 42;
  const second = i % 3 === 0 ? i + 21 : i % 3 === 1 ? i + 42 : i;
  const third = i % 3 === 0 ? i + 42 : i % 3 === 1 ? i : i + 21;
  return [first, second, third];
}

function randomSalt(): string {
  return Array.from(randomBytes(16), (byte) => alphabet[byte & 0x3f] ?? '.').join('');
}
