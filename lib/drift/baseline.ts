import { categoricalCounts, fixedWidthEdges, numericCounts, proportions, quantileEdges } from './binning';
import { klDivergence, populationStabilityIndex } from './divergence';

/**
 * The baseline a drift job compares captured traffic with: one binned distribution per input feature, in the
 * order of the model's CSV columns. Stored as JSON in S3:
 *
 * ```json
 * {"features": [
 *   {"name": "age", "type": "numeric", "edges": [31, 42, 55], "proportions": [0.25, 0.25, 0.25, 0.25]},
 *   {"name": "channel", "type": "categorical", "categories": ["web", "branch"], "proportions": [0.7, 0.29, 0.01]}
 * ]}
 * ```
 *
 * Numeric: `edges` are the interior cut points (k - 1 strictly increasing numbers for k bins, see `binning.ts`),
 * `proportions` has k entries. Categorical: `proportions` has one entry per category plus a last one for any other
 * value.
 */
export interface DriftBaseline {
  readonly features: readonly BaselineFeature[];
}

/** A numeric feature of a baseline. */
export interface NumericBaselineFeature {
  readonly name: string;
  readonly type: 'numeric';
  readonly edges: readonly number[];
  readonly proportions: readonly number[];
}

/** A categorical feature of a baseline. */
export interface CategoricalBaselineFeature {
  readonly name: string;
  readonly type: 'categorical';
  readonly categories: readonly string[];
  readonly proportions: readonly number[];
}

export type BaselineFeature = NumericBaselineFeature | CategoricalBaselineFeature;

/** How to bin a numeric feature when building a baseline. */
export interface NumericBinning {
  /** Number of bins. @default 10 */
  readonly bins?: number;
  /**
   * `quantile`: bins holding equal shares of the baseline (robust to skew; the usual choice for PSI).
   * `fixed`: equal-width bins between the sample's minimum and maximum.
   * @default 'quantile'
   */
  readonly method?: 'quantile' | 'fixed';
}

/** Builds the baseline entry of a numeric feature from training (or reference) values. */
export function numericBaselineFeature(name: string, values: readonly number[], binning: NumericBinning = {}): NumericBaselineFeature {
  const bins = binning.bins ?? 10;
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) throw new Error(`feature ${name}: no finite values to build a baseline from`);
  const edges = (binning.method ?? 'quantile') === 'quantile'
    ? quantileEdges(finite, bins)
    : fixedWidthEdges(Math.min(...finite), Math.max(...finite), bins);
  return { name, type: 'numeric', edges, proportions: proportions(numericCounts(finite, edges)) };
}

/**
 * Builds the baseline entry of a categorical feature. The categories default to those seen, most frequent first;
 * passing them fixes the order and lets rare or future categories fall into the last ("other") bin.
 */
export function categoricalBaselineFeature(name: string, values: readonly string[], categories?: readonly string[]): CategoricalBaselineFeature {
  if (values.length === 0) throw new Error(`feature ${name}: no values to build a baseline from`);
  const seen = categories ?? mostFrequentFirst(values);
  return { name, type: 'categorical', categories: [...seen], proportions: proportions(categoricalCounts(values, seen)) };
}

/** What a comparison of one feature found. */
export interface FeatureDrift {
  readonly name: string;
  /** Values that could be binned. */
  readonly count: number;
  /** Values that were absent, empty or (numeric features) not a number; not binned. */
  readonly missing: number;
  /** PSI against the baseline; undefined when nothing could be binned. */
  readonly psi?: number;
  /** KL(current ‖ baseline) in nats; undefined when nothing could be binned. */
  readonly kl?: number;
}

/** Bins the current values of one feature on the baseline's bins and measures PSI and KL against it. */
export function compareFeature(feature: BaselineFeature, values: readonly unknown[], epsilon?: number): FeatureDrift {
  let counts: number[];
  let missing = 0;
  if (feature.type === 'numeric') {
    const numbers: number[] = [];
    for (const v of values) {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (Number.isFinite(n)) numbers.push(n);
      else missing++;
    }
    counts = numericCounts(numbers, feature.edges);
  } else {
    const strings: string[] = [];
    for (const v of values) {
      if (v === undefined || v === null || v === '') missing++;
      else strings.push(typeof v === 'string' ? v : String(v));
    }
    counts = categoricalCounts(strings, feature.categories);
  }
  const count = counts.reduce((a, b) => a + b, 0);
  if (count === 0) return { name: feature.name, count, missing };
  const current = proportions(counts);
  return {
    name: feature.name,
    count,
    missing,
    psi: populationStabilityIndex(feature.proportions, current, epsilon),
    kl: klDivergence(current, feature.proportions, epsilon),
  };
}

/** Reads a baseline document, checking everything a comparison relies on. Throws one error listing every problem. */
export function parseBaseline(document: unknown): DriftBaseline {
  const problems: string[] = [];
  const features = isObject(document) && Array.isArray(document.features) ? document.features : undefined;
  if (!features || features.length === 0) {
    throw new Error('baseline: expected {"features": [...]} with at least one feature');
  }
  const names = new Set<string>();
  features.forEach((f: unknown, i: number) => {
    const at = `features[${i}]`;
    if (!isObject(f)) return problems.push(`${at} is not an object`);
    if (typeof f.name !== 'string' || f.name === '') problems.push(`${at}.name must be a non-empty string`);
    else if (names.has(f.name)) problems.push(`${at}.name '${f.name}' is a duplicate`);
    else names.add(f.name);
    const p = f.proportions;
    const validProportions = Array.isArray(p) && p.every((x) => typeof x === 'number' && x >= 0)
      && Math.abs(p.reduce((a: number, x: number) => a + x, 0) - 1) <= 1e-6;
    if (!validProportions) problems.push(`${at}.proportions must be non-negative numbers summing to 1`);
    if (f.type === 'numeric') {
      const e = f.edges;
      const increasing = Array.isArray(e) && e.every((x, j) => typeof x === 'number' && Number.isFinite(x) && (j === 0 || x > e[j - 1]));
      if (!increasing) problems.push(`${at}.edges must be strictly increasing finite numbers`);
      else if (validProportions && p.length !== e.length + 1) problems.push(`${at} has ${e.length} edges, so it needs ${e.length + 1} proportions (got ${p.length})`);
    } else if (f.type === 'categorical') {
      const c = f.categories;
      const valid = Array.isArray(c) && c.every((x) => typeof x === 'string') && new Set(c).size === c.length;
      if (!valid) problems.push(`${at}.categories must be distinct strings`);
      else if (validProportions && p.length !== c.length + 1) {
        problems.push(`${at} has ${c.length} categories, so it needs ${c.length + 1} proportions (the last for other values; got ${p.length})`);
      }
    } else {
      problems.push(`${at}.type must be 'numeric' or 'categorical' (got ${JSON.stringify(f.type)})`);
    }
    return undefined;
  });
  if (problems.length > 0) throw new Error(`baseline is invalid:\n  ${problems.join('\n  ')}`);
  return { features: features as BaselineFeature[] };
}

function mostFrequentFirst(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
