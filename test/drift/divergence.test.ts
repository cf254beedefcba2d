import { fixedWidthEdges, numericCounts, proportions, quantileEdges } from '../../lib/drift/binning';
import { klDivergence, populationStabilityIndex, psiBand, PsiBand, smooth } from '../../lib/drift/divergence';
import { normalSamples, RandomSource, seededRandom } from '../../lib/drift/random';
import { analyticNormalKl, normalBinProbabilities } from './normal';

const N = 20000;
/** Baseline and current samples binned on the baseline's deciles, as a drift job does. */
function binnedOnBaselineDeciles(baseline: number[], current: number[]): [number[], number[]] {
  const edges = quantileEdges(baseline, 10);
  return [proportions(numericCounts(baseline, edges)), proportions(numericCounts(current, edges))];
}
/** A random distribution over k bins (some bins may be empty). */
function randomDistribution(random: RandomSource, k: number): number[] {
  const weights = Array.from({ length: k }, () => (random() < 0.2 ? 0 : random()));
  if (!weights.some((w) => w > 0)) weights[0] = 1;
  return proportions(weights);
}

describe('PSI', () => {
  it('is about 0 for two samples of the same distribution', () => {
    const [b, c] = binnedOnBaselineDeciles(normalSamples(seededRandom(1), N), normalSamples(seededRandom(2), N));
    const psi = populationStabilityIndex(b, c);
    expect(psi).toBeLessThan(0.01);
    expect(psiBand(psi)).toBe(PsiBand.STABLE);
  });

  it('is well above 0.2 when the mean shifts by one standard deviation', () => {
    const [b, c] = binnedOnBaselineDeciles(normalSamples(seededRandom(1), N), normalSamples(seededRandom(2), N, 1, 1));
    const psi = populationStabilityIndex(b, c);
    // The continuous value (Jeffreys divergence of N(0,1) and N(1,1)) is 1.0; ten bins capture most of it.
    expect(psi).toBeGreaterThan(0.6);
    expect(psi).toBeLessThan(1.0);
    expect(psiBand(psi)).toBe(PsiBand.SIGNIFICANT);
  });

  it('lands in the moderate band for a shift of a third of a standard deviation', () => {
    const [b, c] = binnedOnBaselineDeciles(normalSamples(seededRandom(1), N), normalSamples(seededRandom(2), N, 0.35, 1));
    expect(psiBand(populationStabilityIndex(b, c))).toBe(PsiBand.MODERATE);
  });

  it('grows with the size of the shift', () => {
    const baseline = normalSamples(seededRandom(3), N);
    const psis = [0.25, 0.5, 1, 2].map((shift) => populationStabilityIndex(...binnedOnBaselineDeciles(baseline, normalSamples(seededRandom(4), N, shift, 1))));
    expect([...psis].sort((a, b) => a - b)).toEqual(psis);
  });

  it('is finite when the current window fills bins the baseline left empty', () => {
    const psi = populationStabilityIndex([0.5, 0.5, 0], [0, 0.5, 0.5]);
    expect(Number.isFinite(psi)).toBe(true);
    expect(psi).toBeGreaterThan(5);
  });

  describe('properties over random distributions', () => {
    const random = seededRandom(99);
    const pairs = Array.from({ length: 200 }, () => {
      const k = 2 + Math.floor(random() * 12);
      return [randomDistribution(random, k), randomDistribution(random, k)] as const;
    });

    it('is non-negative', () => {
      for (const [a, b] of pairs) expect(populationStabilityIndex(a, b)).toBeGreaterThanOrEqual(0);
    });
    it('is symmetric', () => {
      for (const [a, b] of pairs) expect(populationStabilityIndex(a, b)).toBeCloseTo(populationStabilityIndex(b, a), 12);
    });
    it('is zero for identical bins and positive otherwise', () => {
      for (const [a, b] of pairs) {
        expect(populationStabilityIndex(a, a)).toBe(0);
        const differ = a.some((x, i) => x !== b[i]);
        expect(populationStabilityIndex(a, b) > 0).toBe(differ);
      }
    });
    it('equals KL(current ‖ baseline) + KL(baseline ‖ current)', () => {
      for (const [a, b] of pairs) expect(populationStabilityIndex(a, b)).toBeCloseTo(klDivergence(a, b) + klDivergence(b, a), 10);
    });
  });
});

describe('KL divergence, KL(current ‖ baseline)', () => {
  it('matches the analytic KL of two normals one standard deviation apart (exact bin probabilities)', () => {
    const edges = fixedWidthEdges(-8, 9, 400);
    const kl = klDivergence(normalBinProbabilities(edges, 1, 1), normalBinProbabilities(edges, 0, 1), 1e-12);
    expect(analyticNormalKl(1, 1, 0, 1)).toBe(0.5);
    // Binning can only lose information (data processing inequality): slightly below, never above.
    expect(kl).toBeLessThanOrEqual(0.5);
    expect(kl).toBeGreaterThan(0.495);
  });

  it('matches the analytic KL for different spreads, in the documented direction', () => {
    const edges = fixedWidthEdges(-12, 12, 600);
    const wide = normalBinProbabilities(edges, 0, 2);
    const narrow = normalBinProbabilities(edges, 0, 1);
    // Current N(0, 2²) against baseline N(0, 1): ln(1/2) + 4/2 - 1/2 ≈ 0.807; the reverse is ≈ 0.318.
    expect(klDivergence(wide, narrow, 1e-12)).toBeCloseTo(analyticNormalKl(0, 2, 0, 1), 2);
    expect(klDivergence(narrow, wide, 1e-12)).toBeCloseTo(analyticNormalKl(0, 1, 0, 2), 2);
  });

  it('estimates the analytic KL from samples within the discretisation and sampling tolerance', () => {
    const edges = fixedWidthEdges(-4, 5, 30);
    const current = proportions(numericCounts(normalSamples(seededRandom(21), 100000, 1, 1), edges));
    const baseline = proportions(numericCounts(normalSamples(seededRandom(22), 100000, 0, 1), edges));
    expect(Math.abs(klDivergence(current, baseline) - 0.5)).toBeLessThan(0.05);
  });

  it('is 0 for identical distributions and never negative', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 100; i++) {
      const a = randomDistribution(random, 6);
      const b = randomDistribution(random, 6);
      expect(klDivergence(a, a)).toBe(0);
      expect(klDivergence(a, b)).toBeGreaterThanOrEqual(0);
    }
  });

  it('is not symmetric', () => {
    expect(klDivergence([0.9, 0.1], [0.5, 0.5])).not.toBeCloseTo(klDivergence([0.5, 0.5], [0.9, 0.1]), 3);
  });
});

describe('smoothing and input checks', () => {
  it('keeps a distribution and leaves no bin empty', () => {
    const s = smooth([1, 0, 0], 0.01);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...s)).toBeGreaterThan(0);
  });

  it('reads PSI bands at their bounds', () => {
    expect([0, 0.0999, 0.1, 0.2, 0.2001].map(psiBand)).toEqual(['stable', 'stable', 'moderate', 'moderate', 'significant']);
  });

  it('fails on mismatched or invalid distributions', () => {
    expect(() => populationStabilityIndex([1], [0.5, 0.5])).toThrow(/same, non-zero number of bins/);
    expect(() => klDivergence([0.5, 0.6], [0.5, 0.5])).toThrow(/sum to 1/);
    expect(() => populationStabilityIndex([1.5, -0.5], [0.5, 0.5])).toThrow(/non-negative/);
    expect(() => smooth([1], 0)).toThrow(/positive/);
  });
});
