// The fields of a collection body as clients give them (VSKI's `schema` or PocketBase's `fields`):
// names that cannot hide record metadata or SQL's own words, types, select values, ids kept for
// renames; every problem named by its path.
import { z } from "zod";
import { fieldError } from "../errors";
import { deeperThan, MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from "../lib/json_depth";
import { unknownKeyProblems } from "../lib/known_keys";
import { storableTextProblem } from "../lib/text_rules";
import { parseWith } from "../lib/zod_errors";
import { FIELD_TYPES, NAME_PATTERN, RECORD_METADATA, ROWID_ALIASES, type Field } from "./collection_types";

// SQLite allows 2000 columns; every trigger repeats the row's JSON in its SQL, so fields are bounded.
export const MAX_FIELDS = 1000;

/** nameField is the rule for a collection's name, and the start of a field's (which also cannot be metadata). */
export const nameField = z
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

/** fieldSchema validates one field; a select field needs its values. */
export const fieldSchema = z.object(fieldShape).superRefine((f, ctx) => {
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

/** parseFields validates a body's list of fields; names (case-insensitively) and given ids are unique. */
export function parseFields(value: unknown, key: string): FieldInput[] {
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
