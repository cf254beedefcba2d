/**
 * Histograms over the bins of a baseline. A numeric feature's bins are given by interior cut points
 * `edges = [e1, ..., e(k-1)]`, strictly increasing, which make k bins:
 * `(-inf, e1), [e1, e2), ..., [e(k-1), +inf)`. The outer bins are open so that no current value falls outside
 * the baseline's bins (a value beyond the training range is drift, and must be counted, not dropped).
 * A categorical feature's bins are its baseline categories plus one last bin for every other value.
 */

/**
 * Interior cut points at the quantiles `1/bins, 2/bins, ...` of `values`, so each bin holds about the same share
 * of the baseline. Repeated cut points (many equal values) are merged, so fewer bins may result.
 */
export function quantileEdges(values: readonly number[], bins: number): number[] {
  assertBinCount(bins);
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error('quantileEdges needs at least one finite value');
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    // Lower empirical quantile: the value below which i/bins of the sample lies.
    const edge = sorted[Math.min(sorted.length - 1, Math.ceil((i / bins) * sorted.length))];
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  // A cut point at the minimum would leave the first bin empty by construction.
  return edges.filter((e) => e > sorted[0]);
}

/** Interior cut points of `bins` equal-width bins over [min, max]. */
export function fixedWidthEdges(min: number, max: number, bins: number): number[] {
  assertBinCount(bins);
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) {
    throw new Error(`fixedWidthEdges needs finite min < max (got ${min}, ${max})`);
  }
  const width = (max - min) / bins;
  return Array.from({ length: bins - 1 }, (_, i) => min + (i + 1) * width);
}

/** The bin of `value`: the number of edges less than or equal to it (binary search). */
export function binIndex(value: number, edges: readonly number[]): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (edges[mid] <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Counts of `values` per bin of `edges` (`edges.length + 1` bins). Non-finite values are not counted. */
export function numericCounts(values: Iterable<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const value of values) {
    if (Number.isFinite(value)) counts[binIndex(value, edges)]++;
  }
  return counts;
}

/** Counts of `values` per category (`categories.length + 1` bins, the last one for values of no listed category). */
export function categoricalCounts(values: Iterable<string>, categories: readonly string[]): number[] {
  const index = new Map(categories.map((c, i) => [c, i]));
  const counts = new Array<number>(categories.length + 1).fill(0);
  for (const value of values) counts[index.get(value) ?? categories.length]++;
  return counts;
}

/** Counts as proportions summing to 1. Throws when there is nothing to count. */
export function proportions(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error('proportions need at least one counted value');
  return counts.map((c) => c / total);
}

function assertBinCount(bins: number): void {
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`a histogram needs a whole number of bins >= 2 (got ${bins})`);
}
