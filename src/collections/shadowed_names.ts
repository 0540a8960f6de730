// Names a collection may not take because its table would hide something SQLite finds by
// name. SQLite looks a name in FROM up as a table first and only then as a table-valued
// function (an eponymous virtual table: json_each, fsdir, generate_series, pragma_*, …), so a
// table named json_each turns every json_each(…) on the connection — hookd's claim statement
// included — into "'json_each' is not a function". The list is asked of SQLite itself (its
// module list, on the database in use and on the embedded library) rather than written here,
// so a library that brings new modules brings their names with it.
import Database from "libsql";
import type { Db } from "../db/client";
import { fieldError } from "../errors";

/** PRAGMA_PREFIX: SQLite makes any pragma_<name> a table-valued function on first use, so the prefix is reserved whole. */
const PRAGMA_PREFIX = "pragma_";

const fromDatabase = new WeakMap<Db, Promise<Set<string>>>();
let embeddedModules: Set<string> | null = null;

// `PRAGMA module_list` (the statement, not the pragma_module_list function, which a table could hide).
function localModules(): Set<string> {
  if (!embeddedModules) {
    const scratch = new Database(":memory:");
    const rows = scratch.prepare("PRAGMA module_list").all() as { name: string }[];
    scratch.close();
    embeddedModules = new Set(rows.map((r) => r.name.toLowerCase()));
  }
  return embeddedModules;
}

/** tableFunctionNames answers, lower-cased, every module name SQLite knows here and on the database (a server may bring more); cached per database. */
export function tableFunctionNames(db: Db): Promise<Set<string>> {
  let names = fromDatabase.get(db);
  if (!names) {
    names = db.execute("PRAGMA module_list").then(
      (rs) => new Set([...localModules(), ...rs.rows.map((r) => String(r.name).toLowerCase())]),
      () => localModules(), // a server that refuses the pragma still runs the same SQLite
    );
    fromDatabase.set(db, names);
  }
  return names;
}

/** hidesTableFunction tells whether a table of that name would hide a table-valued function or virtual-table module. */
export function hidesTableFunction(name: string, modules: Set<string>): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith(PRAGMA_PREFIX) || modules.has(lower);
}

/** assertCollectionNameAllowed throws a 400 naming the rule when a new collection name would hide a table-valued function. */
export async function assertCollectionNameAllowed(db: Db, name: string): Promise<void> {
  if (!hidesTableFunction(name, await tableFunctionNames(db))) return;
  throw fieldError(
    "name",
    "reserved",
    `"${name}" names one of SQLite's table-valued functions or modules (such as json_each, fsdir, generate_series, pragma_*); a table of that name would hide it, so collections cannot take it`,
  );
}
