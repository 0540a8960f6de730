// The SQL that makes each collection a real table: one column per field plus id,
// created and updated with SQL defaults, so `INSERT INTO posts (title) VALUES ('x')` works.
import { quoteIdent, SQL_NOW } from "../lib/sql_text";
import { fieldChanges } from "./collection_fields";
import type { Collection, Field } from "./collection_types";

// number is REAL, not NUMERIC: NUMERIC would store 1e18 as an integer wider than a
// JavaScript number can hold, and the libSQL client then refuses to read the row.
const COLUMN_TYPE: Record<Field["type"], string> = {
  text: "TEXT",
  email: "TEXT",
  url: "TEXT",
  editor: "TEXT",
  date: "TEXT",
  datetime: "TEXT",
  select: "TEXT",
  relation: "TEXT",
  json: "TEXT",
  number: "REAL",
  bool: "INTEGER",
};

function columnDef(f: Field): string {
  return `${quoteIdent(f.name)} ${COLUMN_TYPE[f.type]}`;
}

function createdIndexName(c: Collection): string {
  return quoteIdent(`_idx_${c.id}_created`);
}

/** createTableStatements creates the table and its index on created. */
export function createTableStatements(c: Collection): string[] {
  const columns = [
    `id TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(8))))`,
    `created TEXT NOT NULL DEFAULT (${SQL_NOW})`,
    `updated TEXT NOT NULL DEFAULT (${SQL_NOW})`,
    ...c.schema.map(columnDef),
  ];
  return [
    `CREATE TABLE ${quoteIdent(c.name)} (${columns.join(", ")})`,
    `CREATE INDEX ${createdIndexName(c)} ON ${quoteIdent(c.name)} (created)`,
  ];
}

/**
 * alterTableStatements renames the table and drops, renames and adds columns, matching fields by
 * id: a renamed field keeps its column and data. Drops go first so their names are free; renames
 * pass through temporary names so two fields can swap names or change only the case of one.
 */
export function alterTableStatements(before: Collection, after: Collection): string[] {
  const out: string[] = [];
  if (before.name.toLowerCase() === after.name.toLowerCase() && before.name !== after.name) {
    // SQLite names are case-insensitive: a rename that only changes case goes through a free name.
    const between = quoteIdent(`_rename_${after.id}`);
    out.push(
      `ALTER TABLE ${quoteIdent(before.name)} RENAME TO ${between}`,
      `ALTER TABLE ${between} RENAME TO ${quoteIdent(after.name)}`,
    );
  } else if (before.name !== after.name) {
    out.push(`ALTER TABLE ${quoteIdent(before.name)} RENAME TO ${quoteIdent(after.name)}`);
  }
  const table = quoteIdent(after.name);
  const { dropped, renamed, added } = fieldChanges(before.schema, after.schema);
  for (const f of dropped) out.push(`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(f.name)}`);
  const between = (i: number) => quoteIdent(`_rename_field_${i}`);
  for (const [i, { from }] of renamed.entries()) {
    out.push(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(from.name)} TO ${between(i)}`);
  }
  for (const [i, { to }] of renamed.entries()) {
    out.push(`ALTER TABLE ${table} RENAME COLUMN ${between(i)} TO ${quoteIdent(to.name)}`);
  }
  for (const f of added) out.push(`ALTER TABLE ${table} ADD COLUMN ${columnDef(f)}`);
  return out;
}

/** retypedFields lists kept fields (same id) whose new type needs another column type (e.g. text → bool). */
export function retypedFields(
  before: Collection,
  after: Collection,
): { index: number; field: Field; from: Field["type"] }[] {
  const old = new Map(before.schema.map((f) => [f.id, f]));
  return after.schema.flatMap((field, index) => {
    const prev = old.get(field.id);
    return prev && COLUMN_TYPE[prev.type] !== COLUMN_TYPE[field.type] ? [{ index, field, from: prev.type }] : [];
  });
}

/** dropTableStatements drops the table (its index and triggers go with it). */
export function dropTableStatements(c: Collection): string[] {
  return [`DROP TABLE IF EXISTS ${quoteIdent(c.name)}`];
}
