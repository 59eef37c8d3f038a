/**
 * @module
 * Order statistics for benchmark samples. Every figure the harness prints is a median with its
 * spread (interquartile range, plus min and max), because on a shared machine the mean is dragged
 * around by a few scheduler stalls while the median and the quartiles are not.
 */

/** What one metric looks like across its samples. */
export interface Summary {
  n: number;
  median: number;
  p25: number;
  p75: number;
  p99: number;
  min: number;
  max: number;
}

/** The q-quantile (0..1) of an ascending array, interpolating linearly between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] ?? Number.NaN;
  const b = sorted[high] ?? Number.NaN;
  return a + (b - a) * (position - low);
}

/** Summarises the finite values; undefined when there are none. */
export function summarize(values: readonly number[]): Summary | undefined {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** The median of the finite values, or undefined. */
export function median(values: readonly number[]): number | undefined {
  return summarize(values)?.median;
}

/** Half the interquartile range relative to the median: "±4%" in the tables. */
export function relativeSpread(summary: Summary): number {
  return summary.median === 0 ? 0 : (summary.p75 - summary.p25) / 2 / Math.abs(summary.median);
}
