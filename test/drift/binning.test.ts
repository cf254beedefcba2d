import { binIndex, categoricalCounts, fixedWidthEdges, numericCounts, proportions, quantileEdges } from '../../lib/drift/binning';
import { normalSamples, seededRandom } from '../../lib/drift/random';

describe('binning', () => {
  it('puts a value in the bin whose lower edge it reaches (outer bins open)', () => {
    const edges = [0, 10, 20];
    expect([-1e9, -0.1, 0, 9.99, 10, 19, 20, 1e9].map((v) => binIndex(v, edges))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('makes quantile edges that split a sample into equal shares', () => {
    const xs = normalSamples(seededRandom(11), 10000);
    const edges = quantileEdges(xs, 10);
    expect(edges).toHaveLength(9);
    for (const share of proportions(numericCounts(xs, edges))) expect(share).toBeCloseTo(0.1, 3);
  });

  it('merges quantile edges of repeated values instead of making empty bins', () => {
    const xs = [...Array(90).fill(1), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const edges = quantileEdges(xs, 10);
    expect(edges).toEqual([...new Set(edges)]);
    expect(numericCounts(xs, edges).every((c) => c > 0)).toBe(true);
  });

  it('makes equal-width edges', () => {
    expect(fixedWidthEdges(0, 10, 5)).toEqual([2, 4, 6, 8]);
  });

  it('counts categories, with a last bin for values of no listed category', () => {
    expect(categoricalCounts(['web', 'branch', 'web', 'phone', 'app'], ['web', 'branch'])).toEqual([2, 1, 2]);
  });

  it('ignores values that are not finite numbers', () => {
    expect(numericCounts([1, NaN, Infinity, 5], [3])).toEqual([1, 1]);
  });

  it('fails on a bin count below 2 and on an empty range', () => {
    expect(() => quantileEdges([1, 2], 1)).toThrow(/bins >= 2/);
    expect(() => fixedWidthEdges(3, 3, 4)).toThrow(/min < max/);
    expect(() => proportions([0, 0])).toThrow(/at least one/);
  });
});
