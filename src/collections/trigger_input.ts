// The triggers of a collection body as clients give them: VSKI's upper-case actions and `enabled`,
// the target settings every target shares, a signing secret, condition, columns and ordering key
// (checked against the fields later, by trigger_rules.ts), and ids that are unique.
import { z } from "zod";
import { fieldError } from "../errors";
import { unknownKeyProblems } from "../lib/known_keys";
import { parseWith } from "../lib/zod_errors";
import { secretField } from "../targets/signing_secret";
import {
  ECHOED_TARGET_KEYS,
  maxInFlightField,
  methodField,
  rateLimitField,
  retryLimitField,
  retryScheduleField,
  TARGET_DEFAULTS,
  timeoutMsField,
  transformField,
  urlField,
} from "../targets/target_input";
import { headersField, refuseAuthorizationUnderJwt } from "../targets/header_input";
import { TRIGGER_ID_PATTERN, type TriggerSpec } from "./collection_types";
import { MAX_FIELDS } from "./field_input";

// Every trigger repeats the row's JSON in its SQL, so a collection's triggers are bounded.
const MAX_TRIGGERS = 100;

/** triggerSchema validates one trigger of a body (the OpenAPI document describes trigger bodies with it). */
export const triggerSchema = z
  .object({
    id: z
      .string({ error: "must be a string" })
      .regex(TRIGGER_ID_PATTERN, "must be 1-64 letters, digits, _ or -")
      .optional(),
    action: z
      .string({ error: "must be create, update or delete" })
      .transform(
        (s) => ({ insert: "create", update: "update", delete: "delete", create: "create" })[s.toLowerCase()] ?? s,
      )
      .pipe(
        z.enum(["create", "update", "delete"], {
          error: "must be create, update or delete (or INSERT, UPDATE, DELETE)",
        }),
      ),
    url: urlField,
    method: methodField.default(TARGET_DEFAULTS.method),
    headers: headersField.nullish().transform((h) => h ?? {}),
    // Absent or null: the retry schedule decides; both are left out of the stored trigger.
    retryLimit: retryLimitField.nullish().transform((n) => n ?? undefined),
    retrySchedule: retryScheduleField.nullish().transform((s) => s ?? undefined),
    jwtEnabled: z.boolean().default(TARGET_DEFAULTS.jwtEnabled),
    timeoutMs: timeoutMsField.default(TARGET_DEFAULTS.timeoutMs),
    active: z.boolean().optional(),
    enabled: z.boolean().optional(),
    paused: z.boolean({ error: "must be true or false" }).optional(),
    secret: secretField.optional(),
    // Checked against the fields by checkTriggerRules once the collection's schema is known.
    // Empty means none, and none is left out of the stored trigger (and of REST answers).
    condition: z
      .string({ error: "must be a string" })
      .nullish()
      .transform((s) => (s?.trim() ? s : undefined)),
    columns: z
      .array(z.string({ error: "must be a field name" }), { error: "must be a list of field names" })
      .max(MAX_FIELDS + 3)
      .nullish()
      .transform((c) => (c?.length ? c : undefined)),
    orderingKey: z
      .string({ error: 'must be "id" or a field name' })
      .nullish()
      .transform((k) => k || undefined),
    transform: transformField.nullish().transform((t) => (t?.trim() ? t : undefined)),
    rateLimit: rateLimitField.nullish().transform((n) => n ?? undefined),
    maxInFlight: maxInFlightField.nullish().transform((n) => n ?? undefined),
  })
  .superRefine(refuseAuthorizationUnderJwt)
  .transform(({ enabled, active, ...t }): TriggerSpec => ({ ...t, active: active ?? enabled ?? true }));

const TRIGGER_KEYS = new Set([...Object.keys(triggerSchema.in.shape), ...ECHOED_TARGET_KEYS]);

/** parseTriggers validates a body's list of triggers (at `key`, to name fields in errors); ids are unique. */
export function parseTriggers(triggers: unknown, key: string): TriggerSpec[] {
  const unknown = Array.isArray(triggers)
    ? Object.assign({}, ...triggers.map((t, i) => unknownKeyProblems(t, TRIGGER_KEYS, `${key}.${i}`)))
    : {};
  const parsed = parseWith(
    z
      .array(triggerSchema, { error: "must be a list of triggers" })
      .max(MAX_TRIGGERS, `at most ${MAX_TRIGGERS} triggers`),
    triggers,
    key,
    unknown,
  );
  assertUniqueIds(parsed, key);
  return parsed;
}

function assertUniqueIds(triggers: TriggerSpec[], key: string): void {
  const seen = new Set<string>();
  triggers.forEach((t, i) => {
    if (t.id === undefined) return;
    if (seen.has(t.id)) throw fieldError(`${key}.${i}.id`, "duplicate", `trigger id "${t.id}" is used twice`);
    seen.add(t.id);
  });
}
