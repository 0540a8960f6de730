// Validates record values against a collection's fields and converts them between their
// JSON form (API, payloads) and their column form (SQLite has no bool or json type).
import { z } from "zod";
import { ValidationError, type FieldErrors } from "../errors";
import { toValidationError } from "../lib/zod_errors";
import { deeperThan, MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from "../lib/json_depth";
import { storableText } from "../lib/text_rules";
import type { Collection, Field } from "./collection_types";

type Row = Record<string, unknown>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Keys VSKI/PocketBase clients echo back on records; they are not fields and are ignored. */
const ECHOED_KEYS = new Set(["collectionId", "collectionName", "expand", "created", "updated"]);

function validDate(s: string): boolean {
  return (
    DATE.test(s) &&
    !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
    new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)
  );
}

// Text SQLite would change (cut at a NUL, a lone surrogate made U+FFFD) is refused, never stored changed.

function valueSchema(field: Field): z.ZodType {
  switch (field.type) {
    case "text":
    case "editor": {
      const s = z.string({ error: "must be a string" }).superRefine(storableText);
      return field.required ? s.min(1, "is required") : s;
    }
    case "email":
      return z.email({ error: "must be an email address" });
    case "url":
      return z.url({ error: "must be a URL", protocol: /^https?$/ }).superRefine(storableText);
    case "number":
      return z.number({ error: "must be a number" }).refine(Number.isFinite, "must be a finite number");
    case "bool":
      return z.boolean({ error: "must be true or false" });
    case "date":
      return z.string({ error: "must be a date YYYY-MM-DD" }).refine(validDate, "must be a date YYYY-MM-DD");
    case "datetime":
      return z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time such as 2026-01-01T00:00:00Z" });
    case "select": {
      const values = field.options.values as [string, ...string[]];
      return z.enum(values, { error: `must be one of ${values.join(", ")}` });
    }
    case "relation":
      return z.string({ error: "must be a record id" }).regex(ID, "must be a record id");
    case "json":
      return z
        .unknown()
        .refine((v) => v !== undefined, "is required")
        .refine((v) => !deeperThan(v, MAX_JSON_DEPTH), TOO_DEEP_MESSAGE);
  }
}

/** RecordValidator is what validating a collection's records needs, built once per definition. */
interface RecordValidator {
  schema: z.ZodType;
  known: Set<string>;
  required: string[];
}

// Building zod schemas (and zod compiling their fast paths) per request cost more than the
// insert itself; definitions are cached objects (catalogue_cache.ts), so key by them.
const validators = new WeakMap<Collection, { create: RecordValidator; update: RecordValidator }>();

function buildValidator(collection: Collection, partial: boolean): RecordValidator {
  const shape: Record<string, z.ZodType> = {};
  for (const f of collection.schema) shape[f.name] = valueSchema(f).nullish();
  if (!partial) shape.id = z.string().regex(ID, "must be 1-64 letters, digits, _ or -").optional();
  return {
    schema: z.object(shape).strip(),
    known: new Set([...Object.keys(shape), "id"]),
    required: collection.schema.filter((f) => f.required).map((f) => f.name),
  };
}

function validatorFor(collection: Collection, partial: boolean): RecordValidator {
  let pair = validators.get(collection);
  if (!pair)
    validators.set(
      collection,
      (pair = { create: buildValidator(collection, false), update: buildValidator(collection, true) }),
    );
  return partial ? pair.update : pair.create;
}

/** validateRecordData checks a create (all required fields present) or an update (partial) body. */
export function validateRecordData(collection: Collection, data: unknown, partial: boolean): Row {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ValidationError("the record must be a JSON object", {
      body: { code: "invalid_type", message: "must be a JSON object" },
    });
  }
  const input = data as Row;
  const { schema, known, required } = validatorFor(collection, partial);
  const missing: FieldErrors = {};
  for (const name of required) {
    // Own keys only: a field named "constructor" must not read Object.prototype's.
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (value === null || (value === undefined && !partial))
      missing[name] = { code: "required", message: "is required" };
  }
  const unknown = Object.keys(input).filter((k) => !known.has(k) && !ECHOED_KEYS.has(k));
  if (unknown.length > 0) {
    const data = Object.fromEntries(
      unknown.map((k) => [k, { code: "unknown_field", message: `collection ${collection.name} has no field ${k}` }]),
    );
    throw new ValidationError(`unknown field(s): ${unknown.join(", ")}`, data);
  }
  if (Object.keys(missing).length > 0)
    throw new ValidationError(`missing required field(s): ${Object.keys(missing).join(", ")}`, missing);
  const picked = Object.fromEntries(Object.entries(input).filter(([k]) => known.has(k) && (k !== "id" || !partial)));
  const result = schema.safeParse(picked);
  if (!result.success) throw toValidationError(result.error);
  return Object.fromEntries(Object.entries(result.data as Row).filter(([, v]) => v !== undefined));
}

/** toColumnValue converts a validated JSON value to what is stored in the column. */
export function toColumnValue(field: Field | undefined, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (field?.type === "bool") return value ? 1 : 0;
  if (field?.type === "json") return JSON.stringify(value);
  return value as string | number;
}

/** rowToRecord converts a table row to the record's JSON form. */
export function rowToRecord(collection: Collection, row: Row): Row {
  const record: Row = {
    id: row.id,
    collectionId: collection.id,
    collectionName: collection.name,
    created: row.created,
    updated: row.updated,
  };
  for (const f of collection.schema) {
    const v = row[f.name] ?? null;
    if (v === null) record[f.name] = null;
    else if (isBlob(v)) record[f.name] = blobText(v);
    else if (f.type === "bool") record[f.name] = Boolean(v);
    else if (f.type === "json") record[f.name] = parseJsonColumn(v);
    else record[f.name] = v;
  }
  return record;
}

// Bytes written by SQL into any column (the API never writes any) read as upper-case hex text,
// the form a capture trigger's hex() gives them in payloads (capture_values.ts).
function isBlob(v: unknown): v is ArrayBuffer | ArrayBufferView {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

function blobText(v: ArrayBuffer | ArrayBufferView): string {
  const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.from(bytes).toString("hex").toUpperCase();
}

function parseJsonColumn(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v; // written as plain text by SQL outside the API; show it as it is
  }
}
