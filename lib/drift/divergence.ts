/**
 * Distances between a baseline distribution and the current one, over the same bins.
 *
 * Empty bins: both measures take logarithms of proportions, and one empty bin would make them infinite. Every
 * proportion is therefore smoothed the same way before comparing: `q = (p + ε) / (1 + kε)` for k bins
 * (additive smoothing, `ε = DEFAULT_EPSILON` unless given). The result is still a distribution, identical inputs stay
 * identical (so their PSI and KL are exactly 0), and a bin that is empty on one side contributes a large but finite
 * amount bounded by ε.
 */

/** The smoothing added to every proportion (1e-4: an empty bin weighs like one record in ten thousand). */
export const DEFAULT_EPSILON = 1e-4;

/**
 * The usual reading of a PSI value (credit-risk practice since the 1990s, not a statistical test):
 * below 0.1 the population is stable, 0.1 to 0.2 it has shifted moderately (investigate), above 0.2 it has
 * shifted significantly (the model's inputs no longer look like its training data: review or retrain).
 */
export enum PsiBand {
  STABLE = 'stable',
  MODERATE = 'moderate',
  SIGNIFICANT = 'significant',
}

/** Upper bound of the stable band. */
export const PSI_STABLE_BELOW = 0.1;
/** Lower bound of the significant band (exclusive): the default alarm threshold. */
export const PSI_SIGNIFICANT_ABOVE = 0.2;

/** The band a PSI value falls in: < 0.1 stable, 0.1 to 0.2 moderate, > 0.2 significant. */
export function psiBand(psi: number): PsiBand {
  if (psi < PSI_STABLE_BELOW) return PsiBand.STABLE;
  return psi > PSI_SIGNIFICANT_ABOVE ? PsiBand.SIGNIFICANT : PsiBand.MODERATE;
}

/** Proportions after additive smoothing: `(p + ε) / (1 + kε)`. */
export function smooth(proportions: readonly number[], epsilon = DEFAULT_EPSILON): number[] {
  if (!(epsilon > 0)) throw new Error(`epsilon must be positive (got ${epsilon})`);
  const scale = 1 + proportions.length * epsilon;
  return proportions.map((p) => (p + epsilon) / scale);
}

/**
 * Population stability index: `Σ (current_i - baseline_i) · ln(current_i / baseline_i)` over smoothed proportions.
 * It is the symmetrised KL divergence (KL(current‖baseline) + KL(baseline‖current)): non-negative, symmetric in its
 * arguments, and 0 exactly when the binned distributions are identical. See `psiBand` for how to read it.
 */
export function populationStabilityIndex(baseline: readonly number[], current: readonly number[], epsilon = DEFAULT_EPSILON): number {
  const [b, c] = smoothedPair(baseline, current, epsilon);
  let psi = 0;
  for (let i = 0; i < b.length; i++) psi += (c[i] - b[i]) * Math.log(c[i] / b[i]);
  return psi;
}

/**
 * Kullback-Leibler divergence of the current distribution from the baseline, KL(current ‖ baseline) =
 * `Σ current_i · ln(current_i / baseline_i)`, in nats, over smoothed proportions.
 *
 * Direction: the baseline is the reference (the distribution the model was validated on) and the current window is
 * what is observed, so KL(current ‖ baseline) measures how surprising today's traffic is under the baseline. It
 * weighs heavily the mass that now falls where the baseline had little (new segments, out-of-range values), which
 * is the drift that matters most for a model; mass that disappeared counts less. Not symmetric; use PSI for that.
 */
export function klDivergence(current: readonly number[], baseline: readonly number[], epsilon = DEFAULT_EPSILON): number {
  const [b, c] = smoothedPair(baseline, current, epsilon);
  let kl = 0;
  for (let i = 0; i < b.length; i++) kl += c[i] * Math.log(c[i] / b[i]);
  // Rounding can leave -1e-17 for identical inputs; a divergence is never negative.
  return Math.max(0, kl);
}

function smoothedPair(baseline: readonly number[], current: readonly number[], epsilon: number): [number[], number[]] {
  if (baseline.length !== current.length || baseline.length === 0) {
    throw new Error(`distributions must have the same, non-zero number of bins (got ${baseline.length} and ${current.length})`);
  }
  for (const [name, p] of [['baseline', baseline], ['current', current]] as const) {
    if (p.some((x) => !(x >= 0))) throw new Error(`${name} proportions must be non-negative numbers`);
    const total = p.reduce((a, x) => a + x, 0);
    if (Math.abs(total - 1) > 1e-6) throw new Error(`${name} proportions must sum to 1 (got ${total})`);
  }
  return [smooth(baseline, epsilon), smooth(current, epsilon)];
}
