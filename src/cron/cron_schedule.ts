// Schedule arithmetic, pure: croner is used only to calculate when a pattern fires next.
// The scheduler owns its own timers so it knows the exact scheduled time of every tick.
import { Cron } from "croner";
import { SCHEDULE_HINT, scheduleFieldProblem } from "./schedule_fields";

/** Schedule is a compiled pattern in its time zone. */
export interface Schedule {
  pattern: string;
  timezone: string;
  cron: Cron;
}

/** timezoneProblem says why a time zone name is not a valid IANA zone, or answers null. */
export function timezoneProblem(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return null;
  } catch {
    return `"${timezone}" is not an IANA time zone (such as UTC, Europe/Berlin or America/New_York)`;
  }
}

/** scheduleProblem says why a pattern cannot be used in that time zone, or answers null. */
export function scheduleProblem(pattern: string, timezone: string): string | null {
  const fieldProblem = scheduleFieldProblem(pattern);
  if (fieldProblem) return `"${pattern}" is not a schedule: ${fieldProblem}`;
  let schedule: Schedule;
  try {
    schedule = compileSchedule(pattern, timezone);
  } catch (err) {
    // Only forms our own check leaves to croner get here; keep its reason, without its class name or final period.
    const reason = String((err as Error).message)
      .replace(/^Cron\w*:\s*/, "")
      .replace(/\.+$/, "");
    return `"${pattern}" is not a schedule: ${reason}; ${SCHEDULE_HINT}`;
  }
  if (!nextTickAfter(schedule, new Date())) return `"${pattern}" never fires (no date matches it)`;
  return null;
}

/** compileSchedule parses a 5-field pattern, or a 6-field one with seconds first; it throws on a bad one. */
export function compileSchedule(pattern: string, timezone: string): Schedule {
  // "5-or-6-parts" keeps croner from reading a seventh field as a year, which cron users never mean.
  const cron = new Cron(pattern.trim(), { timezone, paused: true, mode: "5-or-6-parts" });
  return { pattern, timezone, cron };
}

/** nextTickAfter answers the first tick strictly after `from`, or null when there is none. */
export function nextTickAfter(schedule: Schedule, from: Date): Date | null {
  return schedule.cron.nextRun(from);
}

/** ticksBetween lists the ticks strictly after `from` and strictly before `until`, at most `limit` of them. */
export function ticksBetween(schedule: Schedule, from: Date, until: Date, limit: number): Date[] {
  const ticks: Date[] = [];
  for (let t = nextTickAfter(schedule, from); t && t < until && ticks.length < limit; t = nextTickAfter(schedule, t))
    ticks.push(t);
  return ticks;
}

/** nextRunAt answers when an active job fires next, as ISO text; null when paused or never. */
export function nextRunAt(job: { schedule: string; timezone: string; active: boolean }, now: Date): string | null {
  if (!job.active) return null;
  return nextTickAfter(compileSchedule(job.schedule, job.timezone), now)?.toISOString() ?? null;
}
