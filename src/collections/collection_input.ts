// Turns a create/update body (REST or GraphQL, VSKI-style or not) into a validated
// collection definition. VSKI clients send `schema` or `fields`, `options` as an object
// or a JSON string, triggers at the top level, `enabled` for `active` and upper-case actions.
import { z } from "zod";
import { type FieldErrors, ValidationError, fieldError, validationErrorOf } from "../errors";
import { deeperThan, MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from "../lib/json_depth";
import { refuseUnknownKeys } from "../lib/known_keys";
import { parseWith } from "../lib/zod_errors";
import type { TriggerSpec } from "./collection_types";
import { type FieldInput, fieldSchema, nameField, parseFields } from "./field_input";
import { parseTriggers, triggerSchema } from "./trigger_input";

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
