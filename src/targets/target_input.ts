// The outbound-request settings shared by collection triggers, standalone webhooks and
// HTTP cron jobs, validated one way for all three.
import { z } from "zod";
import { HEADER_NAME, isSendableHeaderValue, storableText } from "../lib/text_rules";
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

const CONNECTION_HEADER = "belongs to the connection, which the HTTP client manages";

/**
 * UNSENDABLE_HEADERS are the headers (by lower-case name) a request cannot carry as a target
 * gives them: hookd sets them for every attempt (the Standard Webhooks ones), the HTTP client
 * computes or drops them (Content-Length became the body's length; Transfer-Encoding was not
 * sent), or they describe the connection rather than the request (RFC 9110 §7.6.1). Stored,
 * they would have been silently replaced or dropped. Host is sent as given, so it is allowed.
 */
const UNSENDABLE_HEADERS: Record<string, string> = {
  "content-length": "is the body's length, computed for each attempt",
  "transfer-encoding": "is chosen by the HTTP client (bodies are sent with their length)",
  connection: CONNECTION_HEADER,
  "keep-alive": CONNECTION_HEADER,
  "proxy-connection": CONNECTION_HEADER,
  te: CONNECTION_HEADER,
  trailer: "announces trailers, and hookd sends none",
  upgrade: CONNECTION_HEADER,
  "webhook-id": "is set by hookd: the delivery id, the same on every attempt",
  "webhook-timestamp": "is set by hookd for each attempt",
  "webhook-signature": "is set by hookd: the Standard Webhooks signature of each attempt",
};

/**
 * headersField accepts an object of string values with valid header names. A value hookd
 * could not send as is (non-ASCII, NUL, line breaks, other control characters) is refused
 * here: accepted, it would fail every attempt. So is a header hookd cannot send as given
 * (UNSENDABLE_HEADERS), named as `headers.<Name>`.
 */
export const headersField = z
  .record(
    z.string().regex(HEADER_NAME, "is not a valid header name (letters, digits and !#$%&'*+.^_`|~-)"),
    z
      .string({ error: "header values must be strings" })
      .refine(
        isSendableHeaderValue,
        "header values must be printable ASCII (no line breaks, NUL, other control characters or non-ASCII letters) with no leading or trailing space",
      ),
  )
  .superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      const why = UNSENDABLE_HEADERS[name.toLowerCase()];
      if (why) ctx.addIssue({ code: "custom", path: [name], message: `cannot be set: ${name} ${why}` });
    }
  });

/** refuseAuthorizationUnderJwt names headers.Authorization when jwtEnabled would replace it with the JWT's. */
export function refuseAuthorizationUnderJwt(
  target: { jwtEnabled?: boolean; headers?: Record<string, string> },
  ctx: z.RefinementCtx,
): void {
  if (!target.jwtEnabled) return;
  for (const name of Object.keys(target.headers ?? {}))
    if (name.toLowerCase() === "authorization")
      ctx.addIssue({
        code: "custom",
        path: ["headers", name],
        message: `cannot be set: ${name} is replaced by the JWT while jwtEnabled is true`,
      });
}

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

/** transformField is a JSONata expression (SPEC §14), refused with the position of its syntax error. */
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
