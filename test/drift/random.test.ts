import { categoricalSamples, normalSamples, seededRandom } from '../../lib/drift/random';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

describe('seeded random numbers', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, c)).not.toEqual(first);
  });

  it('draws uniform numbers in [0, 1)', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 20000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(mean(draws)).toBeCloseTo(0.5, 2);
  });

  it('draws normal samples with the requested mean and standard deviation', () => {
    const xs = normalSamples(seededRandom(1), 50000, 3, 2);
    expect(mean(xs)).toBeCloseTo(3, 1);
    expect(sd(xs)).toBeCloseTo(2, 1);
  });

  it('draws categories in proportion to their weights', () => {
    const xs = categoricalSamples(seededRandom(5), 40000, ['a', 'b', 'c'], [1, 2, 1]);
    expect(xs.filter((x) => x === 'b').length / xs.length).toBeCloseTo(0.5, 1);
    expect(xs.filter((x) => x === 'a').length / xs.length).toBeCloseTo(0.25, 1);
  });

  it('fails on weights that do not match the categories', () => {
    expect(() => categoricalSamples(seededRandom(5), 1, ['a'], [1, 2])).toThrow(/one weight per category/);
    expect(() => categoricalSamples(seededRandom(5), 1, ['a', 'b'], [0, 0])).toThrow(/positive sum/);
  });
});
