// A database made before collection names were checked (shadowed_names.ts) may hold a
// collection whose table hides a table-valued function. Two cases at start-up:
// - it hides one that hookd's own SQL calls (json_each: claims, target keys, health): every
//   delivery would stop, so the collection is renamed (`json_each` → `json_each_collection`),
//   its records, triggers and queued deliveries kept, with a warning naming both names;
// - it hides another one (fsdir, generate_series, pragma_…): hookd never calls those, so it is
//   kept as it is, with a warning that SQL jobs calling that function read the table instead.
// The rename runs before migrations (a migration may call json_each too): the table and the
// catalogue row first, the capture triggers (whose payload names the collection) once the
// schema is current — see rewriteRenamedCaptures.
import type { Deps } from "../deps";
import { quoteIdent } from "../lib/sql_text";
import { createCaptureTriggers, dropCaptureTriggers } from "./capture_triggers";
import { getCollection } from "./collection_lookup";
import { forgetCollections } from "./catalogue_cache";
import { hidesTableFunction, tableFunctionNames } from "./shadowed_names";

/** HOOKD_TABLE_FUNCTIONS are the table-valued functions hookd's own SQL calls; test/collections/collection_names.test.ts keeps the list true. */
export const HOOKD_TABLE_FUNCTIONS: readonly string[] = ["json_each"];

type UpgradeDeps = Pick<Deps, "db" | "clock" | "log">;

/** renameShadowingCollections renames collections that hide a function hookd calls and warns about the rest; answers the new names. */
export async function renameShadowingCollections(deps: UpgradeDeps): Promise<string[]> {
  const { db, log } = deps;
  const catalogue = await db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_collections'");
  if (catalogue.rows.length === 0) return [];
  const modules = await tableFunctionNames(db);
  const rs = await db.execute("SELECT id, name FROM _collections");
  const renamed: string[] = [];
  for (const row of rs.rows) {
    const [id, name] = [String(row.id), String(row.name)];
    if (!hidesTableFunction(name, modules)) continue;
    if (!HOOKD_TABLE_FUNCTIONS.includes(name.toLowerCase())) {
      log.warn("collection hides an SQLite table-valued function; SQL jobs that call it read the table instead", {
        collection: name,
      });
      continue;
    }
    const to = await freeName(deps, `${name}_collection`);
    const moved = await db
      .batch(
        [
          `ALTER TABLE ${quoteIdent(name)} RENAME TO ${quoteIdent(to)}`,
          {
            sql: "UPDATE _collections SET name = ?, updated = ? WHERE id = ?",
            args: [to, deps.clock.now().toISOString(), id],
          },
        ],
        "write",
      )
      .then(
        () => true,
        // Another instance starting beside this one may have moved it first: then nothing is left to do.
        async (err) => {
          const now = await db.execute({ sql: "SELECT name FROM _collections WHERE id = ?", args: [id] });
          if (now.rows[0] && String(now.rows[0].name) === name) throw err;
          return false;
        },
      );
    if (!moved) continue;
    log.warn("collection renamed: its table hid an SQLite function that hookd itself calls", { from: name, to });
    renamed.push(to);
  }
  forgetCollections(db);
  return renamed;
}

/** rewriteRenamedCaptures writes the capture triggers of renamed collections again, so their payloads carry the new name. */
export async function rewriteRenamedCaptures(deps: UpgradeDeps, names: string[]): Promise<void> {
  for (const name of names) {
    const c = await getCollection(deps, name);
    await deps.db.batch([...dropCaptureTriggers(c), ...createCaptureTriggers(c)], "write");
  }
}

async function freeName({ db }: UpgradeDeps, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = (n === 1 ? base : `${base}_${n}`).slice(0, 63);
    const taken = await db.execute({
      sql: "SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?) UNION ALL SELECT 1 FROM _collections WHERE lower(name) = lower(?)",
      args: [candidate, candidate],
    });
    if (taken.rows.length === 0) return candidate;
  }
}
