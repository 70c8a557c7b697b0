import type { DurationRange, DurationRanges, SimDurations } from './durations.js';

/**
 * α + β of the beta distribution behind every draw: small enough that draws spread over the
 * whole measured range, large enough that the mode sits on the mean's side of it.
 */
const CONCENTRATION = 4;

/** What one server's durations depend on: the same seed and server id give the same durations. */
export interface DrawOptions {
  readonly seed: number;
  /** Every duration is multiplied by it except the rescue lapse (a Hetzner rule, not a speed). */
  readonly timeScale: number;
}

/**
 * One server's durations: every key with a range is drawn from a beta distribution scaled to
 * [minMs, maxMs] with mean meanMs (α = 4·m, β = 4·(1−m), m the mean's share of the range), from a
 * random stream of its own per (seed, server, key), so adding a key or a server never changes
 * the others' draws. The others keep `base`'s value.
 */
export function drawDurations(
  base: SimDurations,
  ranges: DurationRanges,
  serverId: number,
  options: DrawOptions,
): SimDurations {
  const drawn: Record<string, number> = { ...base };
  for (const key of Object.keys(base) as (keyof SimDurations)[]) {
    const spread = ranges[key];
    const value = spread ? drawBeta(spread, mulberry32(hash(options.seed, serverId, key))) : base[key];
    drawn[key] = key === 'rescueLapseMs' ? value : Math.round(value * options.timeScale);
  }
  return drawn as unknown as SimDurations;
}

function drawBeta(spread: DurationRange, random: () => number): number {
  const width = spread.maxMs - spread.minMs;
  if (width <= 0) return spread.minMs;
  const share = Math.min(0.99, Math.max(0.01, (spread.meanMs - spread.minMs) / width));
  const x = gamma(CONCENTRATION * share, random);
  const y = gamma(CONCENTRATION * (1 - share), random);
  return Math.round(spread.minMs + (width * x) / (x + y));
}

/** Marsaglia and Tsang's method; shapes below 1 through Gamma(a) = Gamma(a+1)·U^(1/a). */
function gamma(shape: number, random: () => number): number {
  if (shape < 1) return gamma(shape + 1, random) * Math.pow(random() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(random);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = random() || Number.MIN_VALUE;
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Box–Muller. */
function normal(random: () => number): number {
  const u = random() || Number.MIN_VALUE;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A 32-bit FNV-1a hash of the draw's identity. */
function hash(seed: number, serverId: number, key: string): number {
  let h = 0x811c9dc5;
  for (const char of `${seed}/${serverId}/${key}`) {
    h ^= char.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded generator with good enough statistics for simulated durations. */
export function mulberry32(state: number): () => number {
  let s = state;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
