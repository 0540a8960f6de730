// Turns a create or update body (REST or GraphQL) into a validated standalone webhook.
// An update is merged over the stored webhook first, so the result is checked as a whole.
import { z } from "zod";
import { headersField, methodField, retryLimitField, TARGET_DEFAULTS, timeoutMsField, urlField } from "../dispatch/target_input";
import { ValidationError } from "../errors";
import { parseWith } from "../lib/zod_errors";
import { bodyField, bodyProblem, contentTypeField, encodeBody } from "./webhook_body";

/** WebhookSpec is a webhook's definition as a user gives it. */
export interface WebhookSpec {
  name: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
  contentType: string;
  retryLimit: number;
  jwtEnabled: boolean;
  timeoutMs: number;
  active: boolean;
}

/** Webhook is a stored standalone webhook. */
export interface Webhook extends WebhookSpec {
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
  .refine((n) => !RESERVED_NAMES.includes(n.toLowerCase()), `"logs" is reserved: /api/webhooks/logs is the delivery log`);

const webhookSchema = z
  .object({
    name: webhookNameField,
    url: urlField,
    method: methodField.default(TARGET_DEFAULTS.method),
    headers: headersField.nullish().transform((h) => h ?? {}),
    body: bodyField.nullish(),
    contentType: contentTypeField.nullish().transform((c) => c ?? "json"),
    retryLimit: retryLimitField.default(TARGET_DEFAULTS.retryLimit),
    jwtEnabled: z.boolean({ error: "must be true or false" }).default(TARGET_DEFAULTS.jwtEnabled),
    timeoutMs: timeoutMsField.default(TARGET_DEFAULTS.timeoutMs),
    active: z.boolean({ error: "must be true or false" }).optional(),
    enabled: z.boolean({ error: "must be true or false" }).optional(),
  })
  .superRefine((w, ctx) => {
    const problem = bodyProblem(w.body, w.contentType);
    if (problem) ctx.addIssue({ code: "custom", path: ["body"], message: problem });
  })
  .transform(({ enabled, active, body, ...w }): WebhookSpec => ({ ...w, body: encodeBody(body, w.contentType), active: active ?? enabled ?? true }));

/** parseWebhookInput validates a create body, or an update body merged over `stored`. */
export function parseWebhookInput(input: unknown, stored?: WebhookSpec): WebhookSpec {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ValidationError("the body must be a JSON object", { body: { code: "invalid_type", message: "must be a JSON object" } });
  }
  // VSKI clients send `enabled`; when an update names either, it must win over the stored `active`.
  const given = input as Record<string, unknown>;
  const base = stored && (given.active !== undefined || given.enabled !== undefined) ? { ...stored, active: undefined } : stored;
  return parseWith(webhookSchema, { ...base, ...given });
}
