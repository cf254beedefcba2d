/**
 * Seeded pseudo-random numbers for reproducible drift experiments and tests: the same seed gives the same
 * samples on every machine, so a test that asserts "a one-sd shift scores above 0.2" cannot flake.
 * Not for anything secret.
 */

/** A source of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/** mulberry32: a 32-bit generator, small and fast, with a period of 2^32 (plenty for tests and simulations). */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from a normal distribution N(mean, sd²) (Box-Muller; the second variate of each pair is kept for the next call). */
export function normalSampler(random: RandomSource, mean = 0, sd = 1): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return mean + sd * value;
    }
    // 1 - random() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return mean + sd * radius * Math.cos(angle);
  };
}

/** `n` draws from N(mean, sd²). */
export function normalSamples(random: RandomSource, n: number, mean = 0, sd = 1): number[] {
  const draw = normalSampler(random, mean, sd);
  return Array.from({ length: n }, draw);
}

/** `n` draws from a categorical distribution: `categories[i]` with probability `weights[i] / sum(weights)`. */
export function categoricalSamples(random: RandomSource, n: number, categories: readonly string[], weights: readonly number[]): string[] {
  if (categories.length === 0 || categories.length !== weights.length) {
    throw new Error(`categoricalSamples needs one weight per category (got ${categories.length} categories, ${weights.length} weights)`);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || weights.some((w) => w < 0)) throw new Error('categoricalSamples needs non-negative weights with a positive sum');
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  return Array.from({ length: n }, () => {
    const u = random();
    const i = cumulative.findIndex((c) => u < c);
    return categories[i === -1 ? categories.length - 1 : i];
  });
}
