// Turns a create/update body (REST or GraphQL, VSKI-style or not) into a validated
// collection definition. VSKI clients send `schema` or `fields`, `options` as an object
// or a JSON string, triggers at the top level, `enabled` for `active` and upper-case actions.
import { z } from "zod";
import { type FieldErrors, ValidationError, fieldError, validationErrorOf } from "../errors";
import { parseWith } from "../lib/zod_errors";
import {
  ECHOED_TARGET_KEYS,
  headersField,
  maxInFlightField,
  methodField,
  rateLimitField,
  refuseAuthorizationUnderJwt,
  retryLimitField,
  retryScheduleField,
  TARGET_DEFAULTS,
  timeoutMsField,
  transformField,
  urlField,
} from "../targets/target_input";
import { refuseUnknownKeys, unknownKeyProblems } from "../lib/known_keys";
import { deeperThan, MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from "../lib/json_depth";
import { storableTextProblem } from "../lib/text_rules";
import { secretProblem } from "../targets/signing_secret";
import {
  FIELD_TYPES,
  NAME_PATTERN,
  RECORD_METADATA,
  ROWID_ALIASES,
  TRIGGER_ID_PATTERN,
  type Field,
  type TriggerSpec,
} from "./collection_types";

// SQLite allows 2000 columns; every trigger repeats the row's JSON in its SQL, so both are bounded.
const MAX_FIELDS = 1000;
const MAX_TRIGGERS = 100;

const nameField = z
  .string({ error: "is required and must be a string" })
  .regex(NAME_PATTERN, "must match ^[A-Za-z_][A-Za-z0-9_]{0,62}$")
  .refine((n) => !n.startsWith("_"), "names starting with _ are reserved for hookd")
  .refine((n) => !n.toLowerCase().startsWith("sqlite_"), "names starting with sqlite_ are reserved by the database");

// SQLite reads TRUE and FALSE as a column when the table has one of that name, and as the
// boolean only otherwise (the one case where a column hides something of SQL's own).
const BOOLEAN_WORDS: readonly string[] = ["true", "false"];

const METADATA_LOWER: readonly string[] = RECORD_METADATA.map((n) => n.toLowerCase());

/** FIELD_ID is the form of a field id: the one hookd generates (16 hex digits) or one a client gives. */
const FIELD_ID = /^[A-Za-z0-9_-]{1,64}$/;

const fieldShape = {
  // Without an id a field is matched to a stored one by name; with one, by id (so it can be renamed).
  id: z.string({ error: "must be a string" }).regex(FIELD_ID, "must be 1-64 letters, digits, _ or -").optional(),
  name: nameField
    .refine(
      (n) => !METADATA_LOWER.includes(n.toLowerCase()),
      `${RECORD_METADATA.join(", ")} are record metadata and cannot be fields`,
    )
    .refine(
      (n) => !(ROWID_ALIASES as readonly string[]).includes(n.toLowerCase()),
      "rowid and oid name the database's row number and cannot be fields",
    )
    .refine(
      (n) => !BOOLEAN_WORDS.includes(n.toLowerCase()),
      "true and false cannot be fields: a column of that name hides SQL's boolean value in every statement over the table",
    ),
  type: z.enum(FIELD_TYPES, { error: `must be one of ${FIELD_TYPES.join(", ")}` }),
  required: z.boolean().default(false),
  options: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((o) => o ?? {})
    .refine((o) => !deeperThan(o, MAX_JSON_DEPTH), TOO_DEEP_MESSAGE),
};
/** Keys PocketBase clients send on each field; hookd has no use for them. */
const ECHOED_FIELD_KEYS = ["system", "presentable", "unique", "hidden"];
const FIELD_KEYS = new Set([...Object.keys(fieldShape), ...ECHOED_FIELD_KEYS]);

const fieldSchema = z.object(fieldShape).superRefine((f, ctx) => {
  if (f.type !== "select") return;
  const values = f.options.values;
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string")) {
    ctx.addIssue({
      code: "custom",
      path: ["options", "values"],
      message: "a select field needs options.values, a non-empty list of strings",
    });
  } else {
    const problem = (values as string[]).map(storableTextProblem).find((p) => p !== null);
    if (problem) ctx.addIssue({ code: "custom", path: ["options", "values"], message: problem });
  }
});

/** FieldInput is a field as a client gives it: the id is absent for a field matched by name or a new one. */
export type FieldInput = Omit<Field, "id"> & { id?: string };

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
    secret: z
      .string({ error: "must be a whsec_ secret" })
      .superRefine((s, ctx) => {
        const problem = secretProblem(s);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional(),
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

/**
 * collectionBody describes a collection body for the OpenAPI document, made of the schemas
 * that validate each part (parseCollectionInput reads the VSKI variants around them).
 */
export const collectionBody = z.object({
  name: nameField,
  type: z.literal("base").optional(),
  schema: z.array(fieldSchema).optional(),
  fields: z.array(fieldSchema).optional().describe("The same as schema (PocketBase's name)"),
  options: z
    .union([z.looseObject({ triggers: z.array(triggerSchema).optional() }), z.string().describe("the object as JSON")])
    .optional(),
  triggers: z.array(triggerSchema).optional().describe("The same as options.triggers"),
});

const TRIGGER_KEYS = new Set([...Object.keys(triggerSchema.in.shape), ...ECHOED_TARGET_KEYS]);

const OPTIONS_KEYS = new Set(["triggers"]);

const COLLECTION_KEYS = new Set([
  "name",
  "type",
  "schema",
  "fields",
  "options",
  "triggers",
  // Sent by PocketBase/VSKI clients (or echoed from a GET); hookd has no use for them.
  "id",
  "created",
  "updated",
  "system",
  "listRule",
  "viewRule",
  "createRule",
  "updateRule",
  "deleteRule",
  "indexes",
]);

/** CollectionInput is a validated create or update body; absent parts stay undefined. */
export interface CollectionInput {
  name?: string;
  schema?: FieldInput[];
  options?: Record<string, unknown>;
  triggers?: TriggerSpec[];
  /** triggersKey is where the triggers came from ("triggers" or "options.triggers"), to name fields in errors. */
  triggersKey?: string;
}

/** parseCollectionInput validates a body, reporting every problem at once; `partial` is for updates, where every part is optional. */
export function parseCollectionInput(body: unknown, partial: boolean): CollectionInput {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError("the body must be a JSON object", {
      body: { code: "invalid_type", message: "must be a JSON object" },
    });
  }
  const raw = body as Record<string, unknown>;
  const problems: FieldErrors = {};
  // Each part is checked even when an earlier one failed, so one answer names every problem.
  const step = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      Object.assign(problems, err.data);
      return undefined;
    }
  };
  const out: CollectionInput = {};
  step(() => refuseUnknownKeys(raw, COLLECTION_KEYS));
  if (raw.name !== undefined || !partial) out.name = step(() => parseWith(nameField, raw.name, "name"));
  if (raw.type !== undefined && raw.type !== null && raw.type !== "base") {
    problems.type = {
      code: "invalid_value",
      message: `collection type "${String(raw.type)}" is not supported; hookd has "base" collections`,
    };
  }

  // null reads as absent: on an update it must not mean "drop every field".
  const fieldsKey = raw.fields != null ? "fields" : "schema";
  if (raw[fieldsKey] != null || !partial) out.schema = step(() => parseFields(raw[fieldsKey] ?? [], fieldsKey));

  const options = step(() => parseOptions(raw.options));
  const triggers = raw.triggers ?? options?.triggers;
  if (options) out.options = { ...options, triggers: undefined };
  const triggersKey = raw.triggers !== undefined ? "triggers" : "options.triggers";
  if (triggers !== undefined) {
    out.triggersKey = triggersKey;
    out.triggers = step(() => parseTriggers(triggers, triggersKey));
  } else if (!partial) out.triggers = [];
  if (Object.keys(problems).length > 0) throw validationErrorOf(problems);
  return out;
}

function parseTriggers(triggers: unknown, key: string): TriggerSpec[] {
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

function parseFields(value: unknown, key: string): FieldInput[] {
  const unknown = Array.isArray(value)
    ? Object.assign({}, ...value.map((f, i) => unknownKeyProblems(f, FIELD_KEYS, `${key}.${i}`)))
    : {};
  const fields = parseWith(
    z.array(fieldSchema, { error: "must be a list of fields" }).max(MAX_FIELDS, `at most ${MAX_FIELDS} fields`),
    value,
    key,
    unknown,
  );
  const seen = new Set<string>();
  const ids = new Set<string>();
  fields.forEach((f, i) => {
    const lower = f.name.toLowerCase();
    if (seen.has(lower)) throw fieldError(`${key}.${i}.name`, "duplicate", `field "${f.name}" is declared twice`);
    seen.add(lower);
    if (f.id !== undefined && ids.has(f.id))
      throw fieldError(`${key}.${i}.id`, "duplicate", `field id "${f.id}" is given twice`);
    if (f.id !== undefined) ids.add(f.id);
  });
  return fields;
}

function parseOptions(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw fieldError("options", "invalid_json", "is a string but not valid JSON");
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw fieldError("options", "invalid_type", "must be an object or a JSON string of an object");
  }
  // Triggers and their headers sit two levels down; the rest is stored as given.
  if (deeperThan(parsed, MAX_JSON_DEPTH + 2)) throw fieldError("options", "too_deep", TOO_DEEP_MESSAGE);
  // A base collection's options hold its triggers only: "trigers" must not store a collection without any.
  refuseUnknownKeys(parsed, OPTIONS_KEYS, "options");
  return parsed as Record<string, unknown>;
}
