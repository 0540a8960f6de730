// What a collection update changed, for its log line (auth/config_changes.ts): which parts, and
// which triggers were added, removed or changed — ids only, never their settings' values.
import type { Db } from "../db/client";
import { triggerTarget } from "../targets/target_key";
import type { Collection } from "./collection_types";

/** CollectionChanges is the what of a "collection updated" line. */
export interface CollectionChanges {
  changed: string[];
  triggersAdded: string[];
  triggersRemoved: string[];
  triggersChanged: string[];
}

/** collectionChanges compares two definitions of one collection. */
export function collectionChanges(before: Collection, after: Collection): CollectionChanges {
  const changed: string[] = [];
  if (before.name !== after.name) changed.push("name");
  if (JSON.stringify(before.schema) !== JSON.stringify(after.schema)) changed.push("schema");
  const was = new Map(before.options.triggers.map((t) => [t.id, JSON.stringify(t)]));
  const now = new Set(after.options.triggers.map((t) => t.id));
  const triggersAdded = after.options.triggers.filter((t) => !was.has(t.id)).map((t) => t.id);
  const triggersRemoved = [...was.keys()].filter((id) => !now.has(id));
  const triggersChanged = after.options.triggers
    .filter((t) => was.has(t.id) && was.get(t.id) !== JSON.stringify(t))
    .map((t) => t.id);
  if (triggersAdded.length + triggersRemoved.length + triggersChanged.length > 0) changed.push("triggers");
  return { changed, triggersAdded, triggersRemoved, triggersChanged };
}

/** disabledTriggers answers which of the collection's trigger ids are disabled now (read before enabling them). */
export async function disabledTriggers(db: Db, collectionId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rs = await db.execute({
    sql: "SELECT target FROM _target_health WHERE disabled_at IS NOT NULL AND target IN (SELECT value FROM json_each(?))",
    args: [JSON.stringify(ids.map((id) => triggerTarget(collectionId, id)))],
  });
  const disabled = new Set(rs.rows.map((r) => String(r.target)));
  return ids.filter((id) => disabled.has(triggerTarget(collectionId, id)));
}
