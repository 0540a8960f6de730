// Capture in the same transaction: every collection table carries SQLite triggers that
// insert one _webhook_logs row per active hookd trigger. Because SQLite runs them inside
// the writing statement, a write from the API, a SQL cron job or another process gets its
// deliveries atomically, and a rolled-back write gets none.
import { DELIVERY_ID_SQL } from "../deliveries/delivery_id";
import { heldStatusLiteral } from "../targets/target_health";
import { triggerTarget } from "../targets/target_key";
import { quoteIdent, quoteLiteral, SQL_NOW } from "../lib/sql_text";
import type { Collection, TriggerAction } from "./collection_types";
import { captureOrdering } from "./capture_ordering";
import { captureSizeGuard, columnJson } from "./capture_values";
import { captureFilterSql } from "./trigger_rules";

const SQL_EVENT: Record<TriggerAction, string> = { create: "INSERT", update: "UPDATE", delete: "DELETE" };

/** CAPTURE_VERSION changes whenever the SQL below does, so start-up rewrites older capture triggers (capture_upgrade.ts). */
export const CAPTURE_VERSION = 6;

/** captureTriggerName names the SQLite trigger of one action; it uses the id so renames keep it. */
export function captureTriggerName(collection: Collection, action: TriggerAction): string {
  return `_capture_${collection.id}_${action}`;
}

/** dropCaptureTriggers gives the statements that remove a collection's capture triggers. */
export function dropCaptureTriggers(collection: Collection): string[] {
  return (["create", "update", "delete"] as const).map(
    (a) => `DROP TRIGGER IF EXISTS ${quoteIdent(captureTriggerName(collection, a))}`,
  );
}

/** createCaptureTriggers gives one CREATE TRIGGER per action that has active triggers. */
export function createCaptureTriggers(collection: Collection): string[] {
  const statements: string[] = [];
  for (const action of ["create", "update", "delete"] as const) {
    const triggers = collection.options.triggers.filter((t) => t.active && t.action === action);
    if (triggers.length === 0) continue;
    const row = action === "delete" ? "OLD" : "NEW";
    const oldRecord = action === "create" ? "NULL" : recordJson(collection, "OLD");
    const copied: ("NEW" | "OLD")[] =
      action === "create" ? ["NEW"] : action === "update" ? ["NEW", "OLD"] : ["OLD", "OLD"];
    const inserts = triggers.map((t) => {
      const url = new URL(t.url);
      const target = triggerTarget(collection.id, t.id);
      const order = captureOrdering(t, row, target);
      return `INSERT INTO _webhook_logs (id, source, collection, action, record_id, trigger_id, target, url, method, headers, payload,
          jwt_enabled, timeout_ms, target_host, retry_limit, status, next_attempt_at, created_at, updated_at${order.columns})
        SELECT d.id, 'trigger', ${quoteLiteral(collection.name)}, '${action}', ${row}.id, ${quoteLiteral(t.id)}, ${quoteLiteral(target)}, ${quoteLiteral(t.url)},
          ${quoteLiteral(t.method)}, ${quoteLiteral(JSON.stringify(t.headers))},
          json_object('id', d.id, 'action', '${action}', 'collection', ${quoteLiteral(collection.name)},
            'record', ${recordJson(collection, row)}, 'oldRecord', ${oldRecord}, 'timestamp', d.now),
          ${t.jwtEnabled ? 1 : 0}, ${t.timeoutMs}, ${quoteLiteral(url.host)}, ${t.retryLimit ?? 0}, ${heldStatusLiteral(target, t.paused)}, ${order.due}, d.now, d.now${order.values}
        FROM (SELECT ${DELIVERY_ID_SQL} AS id, ${SQL_NOW} AS now${order.from}) AS d ${captureFilterSql(collection, t)};`;
    });
    statements.push(
      `CREATE TRIGGER ${quoteIdent(captureTriggerName(collection, action))} AFTER ${SQL_EVENT[action]} ON ${quoteIdent(collection.name)}
       BEGIN
         ${captureSizeGuard(collection, copied, triggers.length)}
         ${inserts.join("\n")}
       END`,
    );
  }
  return statements;
}

// SQLite caps a function's arguments (127 by default), so a wide row cannot be one
// json_object call: the first pairs build the object and json_set adds the rest in chunks.
const PAIRS_PER_CALL = 50;

/** recordJson builds the SQL JSON object of a row, in the same form the record API answers. */
function recordJson(collection: Collection, row: "NEW" | "OLD"): string {
  const pairs: [string, string][] = [
    ["id", `${row}.id`],
    ["collectionId", quoteLiteral(collection.id)],
    ["collectionName", quoteLiteral(collection.name)],
    ["created", `${row}.created`],
    ["updated", `${row}.updated`],
    ...collection.schema.map((f): [string, string] => [f.name, columnJson(f, `${row}.${quoteIdent(f.name)}`)]),
  ];
  const first = pairs.slice(0, PAIRS_PER_CALL).map(([k, v]) => `${quoteLiteral(k)}, ${v}`);
  let sql = `json_object(${first.join(", ")})`;
  for (let i = PAIRS_PER_CALL; i < pairs.length; i += PAIRS_PER_CALL) {
    const more = pairs.slice(i, i + PAIRS_PER_CALL).map(([k, v]) => `${quoteLiteral(`$."${k}"`)}, ${v}`);
    sql = `json_set(${sql}, ${more.join(", ")})`;
  }
  return sql;
}
