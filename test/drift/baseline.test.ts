import { categoricalBaselineFeature, compareFeature, numericBaselineFeature, parseBaseline } from '../../lib/drift/baseline';
import { categoricalSamples, normalSamples, seededRandom } from '../../lib/drift/random';

describe('drift baseline', () => {
  const income = numericBaselineFeature('income', normalSamples(seededRandom(1), 20000, 50, 10));
  const channel = categoricalBaselineFeature('channel', categoricalSamples(seededRandom(2), 20000, ['web', 'branch', 'phone'], [6, 3, 1]));

  it('builds a numeric feature on quantile bins by default and on fixed bins when asked', () => {
    expect(income.edges).toHaveLength(9);
    expect(income.proportions.every((p) => Math.abs(p - 0.1) < 0.001)).toBe(true);
    const fixed = numericBaselineFeature('income', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { bins: 5, method: 'fixed' });
    expect(fixed.edges).toEqual([2, 4, 6, 8]);
  });

  it('builds a categorical feature, most frequent category first, with an empty "other" bin', () => {
    expect(channel.categories).toEqual(['web', 'branch', 'phone']);
    expect(channel.proportions).toHaveLength(4);
    expect(channel.proportions[3]).toBe(0);
  });

  it('finds no drift in a fresh sample of the same population', () => {
    const drift = compareFeature(income, normalSamples(seededRandom(3), 5000, 50, 10));
    expect(drift).toMatchObject({ name: 'income', count: 5000, missing: 0 });
    expect(drift.psi).toBeLessThan(0.02);
  });

  it('finds significant drift when incomes rise by one standard deviation, reading CSV strings', () => {
    const values = normalSamples(seededRandom(4), 5000, 60, 10).map(String);
    expect(compareFeature(income, values).psi).toBeGreaterThan(0.2);
  });

  it('finds drift when a new channel appears, through the "other" bin', () => {
    const values = categoricalSamples(seededRandom(5), 5000, ['web', 'branch', 'phone', 'app'], [3, 3, 1, 3]);
    const drift = compareFeature(channel, values);
    expect(drift.psi).toBeGreaterThan(0.2);
    expect(drift.kl).toBeGreaterThan(0.2);
  });

  it('counts absent, empty and non-numeric values as missing', () => {
    expect(compareFeature(income, [50, '', 'n/a', null, undefined, '61.5'])).toMatchObject({ count: 2, missing: 4 });
    expect(compareFeature(channel, ['web', '', null, 7])).toMatchObject({ count: 2, missing: 2 });
  });

  it('reports no PSI or KL when nothing could be binned', () => {
    const drift = compareFeature(income, ['', 'x']);
    expect(drift).toEqual({ name: 'income', count: 0, missing: 2 });
  });

  it('parses a valid baseline document', () => {
    const parsed = parseBaseline(JSON.parse(JSON.stringify({ features: [income, channel] })));
    expect(parsed.features.map((f) => f.name)).toEqual(['income', 'channel']);
  });

  it('fails on an invalid baseline with every problem listed', () => {
    const bad = {
      features: [
        { name: 'a', type: 'numeric', edges: [2, 1], proportions: [0.5, 0.5] },
        { name: 'a', type: 'numeric', edges: [1], proportions: [0.5, 0.5, 0] },
        { name: 'c', type: 'categorical', categories: ['x'], proportions: [1] },
        { name: 'd', type: 'ordinal', proportions: [0.2] },
      ],
    };
    let message = '';
    try {
      parseBaseline(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('features[0].edges must be strictly increasing');
    expect(message).toContain("features[1].name 'a' is a duplicate");
    expect(message).toContain('features[1] has 1 edges, so it needs 2 proportions (got 3)');
    expect(message).toContain('features[2] has 1 categories, so it needs 2 proportions');
    expect(message).toContain("features[3].type must be 'numeric' or 'categorical'");
    expect(message).toContain('features[3].proportions must be non-negative numbers summing to 1');
    expect(() => parseBaseline({})).toThrow(/at least one feature/);
  });
});
