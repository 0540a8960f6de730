// Where a SQL job's statements are compiled for the check (sql_job_check.ts). A libSQL server
// compiles them itself, in one read batch (one connection, one snapshot). An embedded database
// (a file or ":memory:") gets a private in-memory connection holding a copy of its schema,
// made again whenever the schema version changes: the same DDL compiles the same programs (root
// pages differ, and are read from the copy), and its EXPLAINs never touch a connection that
// commits. Either way the virtual tables a job may read are recognised by what SQLite opens
// for them on that very connection.
import Database from "libsql";
import type { Db, Row } from "../db/client";
import type { SqlCompiler } from "./sql_job_check";
import type { Catalogue, ExplainRow } from "./sql_job_program";
import { ALLOWED_VTABS } from "./sql_job_rules";

const SCHEMA_VERSION = "PRAGMA schema_version";
const ROOT_PAGES = "SELECT rootpage, tbl_name FROM sqlite_schema WHERE rootpage > 0";
const COLLECTIONS = "SELECT name FROM _collections";

/** serverCompiler compiles on the libSQL server behind `db`. */
export function serverCompiler(db: Db): SqlCompiler {
  let vtabs: string[] | null = null;
  return {
    async compile(statements) {
      // Which allowed modules this server has (jsonb_each is newer than some servers): asked once.
      vtabs ??= await availableVtabs(db);
      const results = await db.batch(
        [
          SCHEMA_VERSION,
          ROOT_PAGES,
          COLLECTIONS,
          ...vtabs.map((v) => `EXPLAIN ${ALLOWED_VTABS[v]}`),
          ...statements.map((s) => `EXPLAIN ${s}`),
        ],
        "read",
      );
      const [version, pages, collections, ...explains] = results.map((r) => r.rows);
      return {
        schemaVersion: Number(Object.values(version![0]!)[0]),
        catalogue: catalogue(pages!, collections!, explains.slice(0, vtabs.length)),
        programs: explains.slice(vtabs.length) as unknown as ExplainRow[][],
      };
    },
    close() {},
  };
}

async function availableVtabs(db: Db): Promise<string[]> {
  const names = new Set((await db.execute("SELECT name FROM pragma_module_list")).rows.map((r) => String(r.name)));
  return Object.keys(ALLOWED_VTABS).filter((v) => names.has(v));
}

/** embeddedCompiler compiles on a private copy of the schema of the embedded database behind `db`. */
export function embeddedCompiler(db: Db): SqlCompiler {
  let copy: { version: number; conn: Database.Database; vtabs: string[] } | null = null;
  return {
    async compile(statements) {
      const [version, schema, collections] = await db.batch(
        [SCHEMA_VERSION, "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL", COLLECTIONS],
        "read",
      );
      const schemaVersion = Number(Object.values(version!.rows[0]!)[0]);
      if (copy?.version !== schemaVersion) {
        copy?.conn.close();
        copy = { version: schemaVersion, ...copySchema(schema!.rows) };
      }
      const { conn, vtabs } = copy;
      const explain = (sql: string) => conn.prepare(`EXPLAIN ${sql}`).all() as ExplainRow[];
      return {
        schemaVersion,
        catalogue: catalogue(
          conn.prepare(ROOT_PAGES).all() as Row[],
          collections!.rows,
          vtabs.map((v) => explain(ALLOWED_VTABS[v]!)),
        ),
        programs: statements.map(explain),
      };
    },
    close() {
      copy?.conn.close();
      copy = null;
    },
  };
}

// Tables first, then what refers to them; SQLite's own tables (sqlite_sequence) make themselves.
const KIND_ORDER = ["table", "index", "view", "trigger"];

function copySchema(rows: Row[]): { conn: Database.Database; vtabs: string[] } {
  const conn = new Database(":memory:");
  const ordered = rows
    .filter((r) => !String(r.name).startsWith("sqlite_"))
    .sort((a, b) => KIND_ORDER.indexOf(String(a.type)) - KIND_ORDER.indexOf(String(b.type)));
  for (const r of ordered) {
    // What cannot be made again here (a virtual table's own tables, made with it) is left out:
    // a job naming it then fails to compile, which refuses nothing it should not.
    try {
      conn.exec(String(r.sql));
    } catch {}
  }
  const modules = new Set(
    conn
      .prepare("SELECT name FROM pragma_module_list")
      .all()
      .map((r) => String((r as Row).name)),
  );
  return { conn, vtabs: Object.keys(ALLOWED_VTABS).filter((v) => modules.has(v)) };
}

function catalogue(pages: Row[], collections: Row[], vtabPrograms: unknown[][]): Catalogue {
  return {
    // Page 1 is the schema table itself, which has no row of its own.
    tableOfRootPage: new Map([
      [1, "sqlite_schema"],
      ...pages.map((r): [number, string] => [Number(r.rootpage), String(r.tbl_name)]),
    ]),
    collections: new Set(collections.map((r) => String(r.name).toLowerCase())),
    allowedVtabs: new Set(
      vtabPrograms.flatMap((rows) =>
        (rows as ExplainRow[]).filter((op) => op.opcode === "VOpen").map((op) => String(op.p4)),
      ),
    ),
  };
}
