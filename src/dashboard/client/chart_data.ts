// Turns the sparse per-minute counts of /api/stats/deliveries into dense series for the chart.
// Pure, so it is unit-tested without a browser.

/** MinuteCount is one minute ("YYYY-MM-DDTHH:MM", UTC) of finished deliveries. */
export interface MinuteCount {
  minute: string;
  success: number;
  failed: number;
}

/** Series is `size` consecutive minutes ending with the minute of `until`. */
export interface Series {
  startMs: number;
  success: number[];
  failed: number[];
  totalSuccess: number;
  totalFailed: number;
  /** peak is the largest success + failed of any one minute. */
  peak: number;
}

/** minuteSeries places each count at its minute; minutes outside the window are dropped. */
export function minuteSeries(minutes: MinuteCount[], untilIso: string, size = 1440): Series {
  const endMinute = Math.floor(Date.parse(untilIso) / 60_000) * 60_000;
  const startMs = endMinute - (size - 1) * 60_000;
  const success = new Array<number>(size).fill(0);
  const failed = new Array<number>(size).fill(0);
  for (const m of minutes) {
    const i = Math.round((Date.parse(`${m.minute}:00Z`) - startMs) / 60_000);
    if (i < 0 || i >= size) continue;
    success[i]! += m.success;
    failed[i]! += m.failed;
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const peak = success.reduce((best, s, i) => Math.max(best, s + failed[i]!), 0);
  return { startMs, success, failed, totalSuccess: sum(success), totalFailed: sum(failed), peak };
}

/** niceCeiling rounds a peak up to 1, 2 or 5 times a power of ten, so the axis reads well. */
export function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((f) => f * p).find((v) => v >= n)!;
}
