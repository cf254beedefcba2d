/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Smallest value of a non-empty list. */
export function min(values: readonly number[]): number {
  return Math.min(...values);
}

/** Milliseconds as seconds with two decimals: `5.31 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A ratio with two decimals and the overhead it means: `1.07x (+7%)`. */
export function ratio(value: number, base: number): string {
  const r = value / base;
  return `${r.toFixed(2)}x (${overhead(value, base)})`;
}

/** Relative overhead in percent, signed: `+7.2%`. */
export function overhead(value: number, base: number): string {
  const pct = (value / base - 1) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** Left-aligned text table. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
