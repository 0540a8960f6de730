// Turns a create or update body (REST or GraphQL) into a validated cron job. An update is
// merged over the stored job first, so rules across fields (an http job needs a url) hold.
import { z } from "zod";
import { ECHOED_TARGET_KEYS, urlField } from "../targets/target_input";
import { refuseAuthorizationUnderJwt } from "../targets/header_input";
import { unknownKeyProblems } from "../lib/known_keys";
import { storableText } from "../lib/text_rules";
import { parseWith } from "../lib/zod_errors";
import { mergeOverStored, requestSettingsFields, type RequestSettings } from "../targets/request_settings";
import { bodyProblem, encodeBody } from "../targets/request_body";
import type { TargetHealth } from "../targets/target_health";
import { scheduleProblem, timezoneProblem } from "./cron_schedule";

/** CronJobSpec is a job's definition as a user gives it; `secret`, when given, is stored apart. */
export interface CronJobSpec extends RequestSettings {
  secret?: string;
  name: string;
  schedule: string;
  timezone: string;
  type: "sql" | "http";
  sql: string | null;
  database: "default";
  url: string | null;
}

/** CronJob is a stored cron job with its health. */
export interface CronJob extends Omit<CronJobSpec, "secret">, TargetHealth {
  id: string;
  created: string;
  updated: string;
}

/** cronJobShape validates each key of a cron job body (the OpenAPI document describes bodies with it). */
export const cronJobShape = {
  name: z
    .string({ error: "is required and must be a string" })
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/, "must be 1-100 letters, digits, _ . or -, not starting with . or -"),
  schedule: z
    .string({ error: 'is required: a cron pattern such as "*/5 * * * *"' })
    .min(1, 'is required: a cron pattern such as "*/5 * * * *"'),
  timezone: z
    .string({ error: "must be an IANA time zone name" })
    .nullish()
    .transform((tz) => tz || "UTC"),
  type: z.enum(["sql", "http"], { error: 'must be "sql" or "http"' }),
  sql: z.string({ error: "must be a string of SQL" }).superRefine(storableText).nullish(),
  database: z
    .string({ error: 'must be "default"' })
    .nullish()
    .transform((d) => d || "default")
    .pipe(z.literal("default", { error: 'must be "default": hookd has one database' })),
  url: urlField.nullish(),
  ...requestSettingsFields,
};
const CRON_JOB_KEYS = new Set([...Object.keys(cronJobShape), ...ECHOED_TARGET_KEYS]);

const cronJobSchema = z
  .object(cronJobShape)
  .superRefine((job, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const tzProblem = timezoneProblem(job.timezone);
    if (tzProblem) issue("timezone", tzProblem);
    const schedProblem = scheduleProblem(job.schedule, tzProblem ? "UTC" : job.timezone);
    if (schedProblem) issue("schedule", schedProblem);
    if (job.type === "sql" && !job.sql?.trim()) issue("sql", "is required for a sql job");
    if (job.type === "http" && !job.url) issue("url", "is required for an http job");
    const problem = job.type === "http" ? bodyProblem(job.body, job.contentType) : null;
    if (problem) issue("body", problem);
    refuseAuthorizationUnderJwt(job, ctx);
  })
  .transform(
    ({ enabled, active, body, ...job }): CronJobSpec => ({
      ...job,
      schedule: job.schedule.trim(),
      // Only the fields of the job's type are kept, so switching type leaves nothing stale behind.
      sql: job.type === "sql" ? job.sql! : null,
      url: job.type === "http" ? job.url! : null,
      body: job.type === "http" ? encodeBody(body, job.contentType) : null,
      active: active ?? enabled ?? true,
    }),
  );

/** parseCronJobInput validates a create body, or an update body merged over `stored`. */
export function parseCronJobInput(input: unknown, stored?: CronJobSpec): CronJobSpec {
  // Unknown keys are reported with every other problem of the body.
  return parseWith(cronJobSchema, mergeOverStored(input, stored), "", unknownKeyProblems(input, CRON_JOB_KEYS));
}
