// A listing's filter, sort and fields (PocketBase's query parameters), for records and for
// collections. The filter is the trigger-condition grammar (docs/delivery.md), parsed and compiled by the same
// code as trigger conditions, over the table's own row instead of a trigger's NEW; sort and
// fields name known columns and keys.
import { type FieldErrors, validationErrorOf } from "../errors";
import { quoteIdent } from "../lib/sql_text";
import { ConditionError, type Condition, parseCondition } from "./condition_parse";
import { compileCondition, type ConditionScope } from "./condition_sql";
import { type Collection, type Field, RECORD_METADATA, SYSTEM_COLUMNS } from "./collection_types";

/** ListQuery is what a client asks of a listing, as text. */
export interface ListQuery {
  filter?: string | null;
  sort?: string | null;
  fields?: string | null;
}

/** CompiledListQuery is a ListQuery as SQL clauses and the keys to answer (null: all). */
export interface CompiledListQuery {
  where: string;
  orderBy: string;
  fields: string[] | null;
}

/** ListTarget is what a listing reads: a table, its columns (with their field, for json values), the keys of an item. */
export interface ListTarget {
  table: string;
  /** What the table holds, for messages: `collection posts`. */
  what: string;
  columns: Map<string, Field | null>;
  keys: readonly string[];
  defaultSort: string;
}

/** recordTarget is the listing target of a collection's records. */
export function recordTarget(c: Collection): ListTarget {
  const columns = new Map<string, Field | null>(SYSTEM_COLUMNS.map((n) => [n, null]));
  for (const f of c.schema) columns.set(f.name, f);
  const keys = [...RECORD_METADATA.filter((n) => n !== "expand"), ...c.schema.map((f) => f.name)];
  return { table: c.name, what: `collection ${c.name}`, columns, keys, defaultSort: "-created" };
}

/** COLLECTIONS_TARGET is the listing target of the collections themselves. */
export const COLLECTIONS_TARGET: ListTarget = {
  table: "_collections",
  what: "collections",
  columns: new Map(["id", "name", "type", "created", "updated"].map((n) => [n, null])),
  keys: ["id", "name", "type", "schema", "options", "created", "updated"],
  defaultSort: "created,name",
};

// SQLite refuses very long ORDER BY lists; no real listing needs more than a few terms.
const MAX_SORT_TERMS = 32;

/** compileListQuery validates filter, sort and fields together and throws one ValidationError naming every bad one. */
export function compileListQuery(c: ListTarget, q: ListQuery): CompiledListQuery {
  const problems: FieldErrors = {};
  const step = <T>(name: string, code: string, fallback: T, run: () => T): T => {
    try {
      return run();
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      problems[name] = { code, message: err.message };
      return fallback;
    }
  };
  const where = step("filter", "invalid_filter", "", () => (q.filter?.trim() ? compileFilter(c, q.filter) : ""));
  const orderBy = step("sort", "invalid_sort", "", () => compileSort(c, q.sort));
  const fields = step("fields", "invalid_fields", null, () => pickedFields(c, q.fields));
  if (Object.keys(problems).length > 0) throw validationErrorOf(problems);
  return { where, orderBy, fields };
}

function compileFilter(c: ListTarget, text: string): string {
  const tree = parseCondition(text);
  refuseOld(tree);
  const scope: ConditionScope = { row: quoteIdent(c.table), old: null, fields: c.columns };
  return `WHERE ${compileCondition(tree, scope)}`;
}

// old.<field> means the row before a write: a trigger's word, meaningless in a listing.
function refuseOld(tree: Condition): void {
  if (tree.kind !== "compare") return tree.terms.forEach(refuseOld);
  for (const side of [tree.left, tree.right]) {
    if (side.kind === "field" && side.old)
      throw new ConditionError(
        `old.${side.name} at character ${side.pos}: old.<field> is for trigger conditions; a filter reads the record as it is`,
        side.pos,
      );
  }
}

/** compileSort turns "-created,title" into an ORDER BY list over known columns (newest first when empty). */
function compileSort(c: ListTarget, sort: string | null | undefined): string {
  const known = new Set(c.columns.keys());
  const terms = (sort || c.defaultSort).split(",").map((s) => s.trim());
  if (terms.length > MAX_SORT_TERMS) throw new ConditionError(`at most ${MAX_SORT_TERMS} terms`, null);
  const clauses = terms.map((term, i) => {
    const column = term.replace(/^[-+]/, "");
    if (!known.has(column))
      throw new ConditionError(
        `term ${i + 1} "${term}": there is no field "${column}" in ${c.what}; known: ${[...known].join(", ")}`,
        null,
      );
    return `${quoteIdent(column)} ${term.startsWith("-") ? "DESC" : "ASC"}`;
  });
  // rowid breaks ties (records created in the same millisecond) in insertion order.
  const lastDesc = terms[terms.length - 1]!.startsWith("-");
  return `ORDER BY ${[...clauses, `rowid ${lastDesc ? "DESC" : "ASC"}`].join(", ")}`;
}

/** pickedFields reads "id,title" (or "*") into the keys to answer; null answers every key. */
function pickedFields(c: ListTarget, fields: string | null | undefined): string[] | null {
  if (!fields?.trim()) return null;
  const names = fields.split(",").map((s) => s.trim());
  if (names.includes("*")) return null;
  const unknown = names.filter((n) => !c.keys.includes(n));
  if (unknown.length > 0)
    throw new ConditionError(
      `there is no key ${unknown.map((n) => `"${n}"`).join(", ")} in ${c.what}; known: ${c.keys.join(", ")}`,
      null,
    );
  return names;
}

/** pickFields keeps only the asked keys of an item. */
export function pickFields<T extends object>(item: T, fields: string[] | null): Partial<T> {
  if (!fields) return item;
  const entries = Object.entries(item);
  return Object.fromEntries(entries.filter(([k]) => fields.includes(k))) as Partial<T>;
}
