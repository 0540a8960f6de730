// Durations as people write them in settings and requests: 500ms, 90s, 5m, 12h, 7d.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** parseDurationMs reads 500ms, 90s, 5m, 12h or 7d (a bare number is seconds) as milliseconds; null when unreadable. */
export function parseDurationMs(text: string): number | null {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? "s"]!;
  return Number.isSafeInteger(ms) ? ms : null;
}

/** formatDurationMs writes a duration in the largest unit that divides it (300000 → 5m). */
export function formatDurationMs(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (ms >= UNIT_MS[unit]! && ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  }
  return `${ms}ms`;
}
