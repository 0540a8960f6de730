// Capture triggers are SQL written by the release that created them. When the SQL changes
// (CAPTURE_VERSION), start-up rewrites every collection's triggers once, so a database from
// a previous release captures the way this one does (trigger ids, targets, holding).
import type { Deps } from "../deps";
import { CAPTURE_VERSION, createCaptureTriggers, dropCaptureTriggers } from "./capture_triggers";
import { listCollections } from "./collection_lookup";

const SETTING = "capture_version";
const PAGE = 100;

/** upgradeCaptureTriggers rewrites older capture triggers; each collection in one transaction, so a write never finds none. */
export async function upgradeCaptureTriggers(deps: Pick<Deps, "db" | "clock">): Promise<number> {
  const rs = await deps.db.execute({ sql: "SELECT value FROM _settings WHERE key = ?", args: [SETTING] });
  if (Number(rs.rows[0]?.value ?? 1) >= CAPTURE_VERSION) return 0;
  let rewritten = 0;
  for (let page = 1; ; page++) {
    const { items } = await listCollections(deps, { page, perPage: PAGE });
    for (const c of items) {
      await deps.db.batch([...dropCaptureTriggers(c), ...createCaptureTriggers(c)], "write");
      rewritten++;
    }
    if (items.length < PAGE) break;
  }
  await deps.db.execute({
    sql: "INSERT INTO _settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    args: [SETTING, String(CAPTURE_VERSION)],
  });
  return rewritten;
}
