/** Normal distribution helpers for the drift tests (exact bin probabilities to compare the estimates with). */

/** Standard normal CDF through erf (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7). */
export function normalCdf(x: number, mean = 0, sd = 1): number {
  const z = (x - mean) / (sd * Math.SQRT2);
  const t = 1 / (1 + 0.3275911 * Math.abs(z));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return 0.5 * (1 + (z >= 0 ? erf : -erf));
}

/** Probabilities of N(mean, sd²) in the bins of `edges` (open outer bins), as `binning.ts` defines them. */
export function normalBinProbabilities(edges: readonly number[], mean = 0, sd = 1): number[] {
  const cdf = edges.map((e) => normalCdf(e, mean, sd));
  const p = [cdf[0], ...cdf.slice(1).map((c, i) => c - cdf[i]), 1 - cdf[cdf.length - 1]];
  const total = p.reduce((a, b) => a + b, 0);
  return p.map((x) => Math.max(0, x) / total);
}

/** KL(N(m1, s1²) ‖ N(m2, s2²)) in nats: ln(s2/s1) + (s1² + (m1 - m2)²) / (2 s2²) - 1/2. */
export function analyticNormalKl(m1: number, s1: number, m2: number, s2: number): number {
  return Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) ** 2) / (2 * s2 * s2) - 0.5;
}
