// Turns a create or update body (REST or GraphQL) into a validated standalone webhook.
// An update is merged over the stored webhook first, so the result is checked as a whole.
import { z } from "zod";
import { ECHOED_TARGET_KEYS, urlField } from "../targets/target_input";
import { refuseAuthorizationUnderJwt } from "../targets/header_input";
import { unknownKeyProblems } from "../lib/known_keys";
import { parseWith } from "../lib/zod_errors";
import { mergeOverStored, requestSettingsFields, type RequestSettings } from "../targets/request_settings";
import { bodyProblem, encodeBody } from "../targets/request_body";
import type { TargetHealth } from "../targets/target_health";
import { OPS_EVENT_TYPES, type OpsEventType } from "../ops/ops_events";

/** WebhookSpec is a webhook's definition as a user gives it; `secret`, when given, is stored apart. */
export interface WebhookSpec extends RequestSettings {
  name: string;
  url: string;
  /** events are the operational events (ops/ops_events.ts) this webhook receives; null: none. */
  events: OpsEventType[] | null;
  secret?: string;
}

/** Webhook is a stored standalone webhook with its health. */
export interface Webhook extends Omit<WebhookSpec, "secret">, TargetHealth {
  id: string;
  created: string;
  updated: string;
}

// "logs" would be shadowed by (or shadow) GET /api/webhooks/logs, the delivery log listing.
const RESERVED_NAMES = ["logs"];

/** webhookNameField is a URL-safe name: letters, digits, _ . - */
export const webhookNameField = z
  .string({ error: "is required and must be a string" })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/, "must be 1-100 letters, digits, _ . or -, not starting with . or -")
  .refine(
    (n) => !RESERVED_NAMES.includes(n.toLowerCase()),
    `"logs" is reserved: /api/webhooks/logs is the delivery log`,
  );

const eventsField = z
  .array(z.enum(OPS_EVENT_TYPES, { error: `must be one of ${OPS_EVENT_TYPES.join(", ")}` }), {
    error: `must be a list of event types (${OPS_EVENT_TYPES.join(", ")})`,
  })
  .transform((types) => [...new Set(types)]);

/** webhookShape validates each key of a webhook body (the OpenAPI document describes bodies with it). */
export const webhookShape = {
  name: webhookNameField,
  url: urlField,
  ...requestSettingsFields,
  events: eventsField.nullable().default(null),
};
const WEBHOOK_KEYS = new Set([...Object.keys(webhookShape), ...ECHOED_TARGET_KEYS]);

const webhookSchema = z
  .object(webhookShape)
  .superRefine((w, ctx) => {
    const problem = bodyProblem(w.body, w.contentType);
    if (problem) ctx.addIssue({ code: "custom", path: ["body"], message: problem });
    refuseAuthorizationUnderJwt(w, ctx);
  })
  .transform(
    ({ enabled, active, body, ...w }): WebhookSpec => ({
      ...w,
      body: encodeBody(body, w.contentType),
      active: active ?? enabled ?? true,
    }),
  );

/** parseWebhookInput validates a create body, or an update body merged over `stored`. */
export function parseWebhookInput(input: unknown, stored?: WebhookSpec): WebhookSpec {
  // Unknown keys are reported with every other problem of the body.
  return parseWith(webhookSchema, mergeOverStored(input, stored), "", unknownKeyProblems(input, WEBHOOK_KEYS));
}
