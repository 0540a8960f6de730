// How a retry schedule is written (docs/delivery.md): a list of waits such as 5s, 5m, 2h, read by the
// settings table (HOOKD_RETRY_SCHEDULE), target input (retrySchedule) and the target cache.
// What a schedule means for a delivery is the engine's: dispatch/retry_policy.ts.
import { parseDurationMs } from "./lib/duration";

/** DEFAULT_RETRY_SCHEDULE is the wait before each retry, after the first attempt: 8 attempts over about 27.6 h (as Svix). */
export const DEFAULT_RETRY_SCHEDULE = "5s,5m,30m,2h,5h,10h,10h";

/** MAX_SCHEDULE_DELAY_MS bounds one entry of a retry schedule. */
export const MAX_SCHEDULE_DELAY_MS = 7 * 86_400_000;

/** MAX_SCHEDULE_LENGTH is the most retries a schedule lists (retryLimit allows at most 100 attempts in all). */
export const MAX_SCHEDULE_LENGTH = 99;

/** scheduleProblem says what is wrong with one written entry of a retry schedule, or null when it reads as a delay. */
export function scheduleProblem(entry: unknown): string | null {
  const ms = typeof entry === "string" ? parseDurationMs(entry) : null;
  if (ms === null) return "must be a duration such as 5s, 5m, 2h or 500ms";
  if (ms < 1) return "must be at least 1ms";
  if (ms > MAX_SCHEDULE_DELAY_MS) return "must be at most 7d";
  return null;
}

/** scheduleMs reads a schedule already checked with scheduleProblem ("5s" → 5000). */
export function scheduleMs(entries: readonly string[]): number[] {
  return entries.map((e) => parseDurationMs(e) ?? 0);
}
