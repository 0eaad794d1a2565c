/**
 * Seeded randomness, so a run with the same `--seed` draws the same patients and adverse events.
 * mulberry32 is tiny, fast and good enough for simulation (not for anything secret).
 */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed: per-patient streams that do not overlap. */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

export function uniform(rng: Random, min: number, max: number): number {
  return min + (max - min) * rng();
}

/** Standard normal by Box-Muller. */
export function gaussian(rng: Random): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export function normalClamped(
  rng: Random,
  mean: number,
  sd: number,
  min: number,
  max: number,
): number {
  return Math.min(max, Math.max(min, mean + sd * gaussian(rng)));
}

/**
 * Noise that depends only on (seed, stream, step): the same sample time gives the same value
 * whatever order samples are taken in, so a series is reproducible in a live run too.
 */
export function noiseAt(seed: number, stream: number, step: number): number {
  return gaussian(mulberry32(mixSeed(seed, stream, step)));
}
