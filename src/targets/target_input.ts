// The outbound-request settings shared by collection triggers, standalone webhooks and
// HTTP cron jobs, validated one way for all three. Headers: header_input.ts.
import { z } from "zod";
import { storableText } from "../lib/text_rules";
import { MAX_SCHEDULE_LENGTH, scheduleProblem } from "../retry_schedule";
import { transformProblem } from "./transform";

/** HTTP_METHODS are the methods a target may be called with. */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** urlField accepts only absolute http(s) URLs. */
export const urlField = z
  .string({ error: "must be an http:// or https:// URL" })
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
    } catch {
      return false;
    }
  }, "must be an absolute http:// or https:// URL")
  .superRefine(storableText);

/** methodField accepts an HTTP method in any case and gives it upper-cased. */
export const methodField = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(HTTP_METHODS, { error: `must be one of ${HTTP_METHODS.join(", ")}` }));

/**
 * ECHOED_TARGET_KEYS are read-only keys a trigger, webhook or cron job answers with; clients that
 * send back what they read may include them, and they are ignored rather than refused.
 */
export const ECHOED_TARGET_KEYS = [
  "id",
  "created",
  "updated",
  "nextRunAt",
  "lastDeliveryAt",
  "lastStatus",
  "consecutiveFailures",
  "failingSince",
  "disabledAt",
  "disabledReason",
] as const;

/** retryLimitField is the number of attempts in all; absent, the retry schedule decides. */
export const retryLimitField = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(100, "must be at most 100");

/**
 * retryScheduleField is the wait before each retry: a list of durations (["5s", "5m"]) or the
 * same as one comma-separated string. A bad entry is named by its index (retrySchedule.2).
 */
export const retryScheduleField = z
  .union(
    [z.string().transform((s) => (s.trim() === "" ? [] : s.split(",").map((e) => e.trim()))), z.array(z.unknown())],
    {
      error: 'must be a list of durations such as ["5s", "5m", "30m"]',
    },
  )
  .superRefine((entries, ctx) => {
    if (entries.length > MAX_SCHEDULE_LENGTH)
      ctx.addIssue({ code: "custom", message: `at most ${MAX_SCHEDULE_LENGTH} retries` });
    entries.forEach((e, i) => {
      const problem = scheduleProblem(e);
      if (problem) ctx.addIssue({ code: "custom", path: [i], message: problem });
    });
  })
  .transform((entries) => entries.map((e) => String(e).trim()));

/** timeoutMsField bounds one attempt. */
export const timeoutMsField = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(100, "must be at least 100 ms")
  .max(300_000, "must be at most 300000 ms");

/** TARGET_DEFAULTS are the defaults every source applies. */
export const TARGET_DEFAULTS = {
  method: "POST",
  headers: {},
  jwtEnabled: false,
  timeoutMs: 15_000,
} as const;

/** transformField is a JSONata expression (docs/control.md), refused with the position of its syntax error. */
export const transformField = z.string({ error: "must be a JSONata expression" }).superRefine((s, ctx) => {
  const problem = transformProblem(s);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** rateLimitField is deliveries per second to one target, over every instance. */
export const rateLimitField = z
  .number({ error: "must be a number of deliveries per second" })
  .min(0.01, "must be at least 0.01 (one delivery every 100 s)")
  .max(10_000, "must be at most 10000");

/** maxInFlightField is how many attempts to one target may be under way at once. */
export const maxInFlightField = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(1000, "must be at most 1000");
