// Turns the sparse per-minute counts of /api/stats/deliveries into dense series for the chart,
// in buckets sized for the chosen range. Pure, so it is unit-tested without a browser.
import type { MinuteCount } from "../../deliveries/log_stats";

export type { MinuteCount };

/** Range is a choice of the overview's range picker: how many hours, in buckets of how many minutes. */
export interface Range {
  id: string;
  label: string;
  hours: number;
  bucketMinutes: number;
}

/** RANGES are the overview's ranges: about a hundred bars each, so an hour of traffic is never a sliver. */
export const RANGES: Range[] = [
  { id: "1h", label: "1 h", hours: 1, bucketMinutes: 1 },
  { id: "24h", label: "24 h", hours: 24, bucketMinutes: 15 },
  { id: "7d", label: "7 d", hours: 168, bucketMinutes: 60 },
];

/** Series is consecutive buckets ending with the bucket of `until`. */
export interface Series {
  startMs: number;
  bucketMs: number;
  /** success: delivered at the first try; recovered: delivered after a failed attempt; failed: still failed. */
  success: number[];
  recovered: number[];
  failed: number[];
  totalSuccess: number;
  totalRecovered: number;
  totalFailed: number;
  /** peak is the largest bar (every outcome of one bucket). */
  peak: number;
}

/** minuteSeries places each count in its bucket (by default one per minute over 24 h); counts outside the window are dropped. */
export function minuteSeries(minutes: MinuteCount[], untilIso: string, size = 1440, bucketMinutes = 1): Series {
  const bucketMs = bucketMinutes * 60_000;
  const endBucket = Math.floor(Date.parse(untilIso) / bucketMs) * bucketMs;
  const startMs = endBucket - (size - 1) * bucketMs;
  const success = new Array<number>(size).fill(0);
  const recovered = new Array<number>(size).fill(0);
  const failed = new Array<number>(size).fill(0);
  for (const m of minutes) {
    const i = Math.floor((Date.parse(`${m.minute}:00Z`) - startMs) / bucketMs);
    if (i < 0 || i >= size) continue;
    const again = m.recovered ?? 0;
    success[i]! += m.success - again;
    recovered[i]! += again;
    failed[i]! += m.failed;
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const peak = success.reduce((best, s, i) => Math.max(best, s + recovered[i]! + failed[i]!), 0);
  return {
    startMs,
    bucketMs,
    success,
    recovered,
    failed,
    totalSuccess: sum(success) + sum(recovered),
    totalRecovered: sum(recovered),
    totalFailed: sum(failed),
    peak,
  };
}

/** rangeSeries is the series of a range: hours × 60 / bucketMinutes buckets. */
export function rangeSeries(minutes: MinuteCount[], untilIso: string, range: Range): Series {
  return minuteSeries(minutes, untilIso, (range.hours * 60) / range.bucketMinutes, range.bucketMinutes);
}

/** niceCeiling rounds a peak up to 1, 2 or 5 times a power of ten, so the axis reads well. */
export function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((f) => f * p).find((v) => v >= n)!;
}
