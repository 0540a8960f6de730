// Bulk retry and cancel over a log filter (docs/operating.md). A million matching rows must never
// block the API, so the work goes in batches of BATCH_SIZE rows, one statement each, with a
// turn of the event loop between them. Each batch walks the filter's own index newest first
// from a cursor (created_at, rowid), so every row is looked at once, however many others the
// filter's index holds, and a row that changes state meanwhile is never touched twice.
import type { Db } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Signals } from "../runtime/signals";
import { fieldError } from "../errors";
import { heldTargets, RETRY_SET_SQL } from "../targets/held_targets";
import { isEmptyFilter, parseLogFilter, type LogFilter, type LogStatus } from "./log_filter";
import { filterSql } from "./log_filter_sql";

/** BATCH_SIZE rows are changed per statement: a few milliseconds of database time. */
export const BATCH_SIZE = 500;

/** BulkAction is what a bulk request does to the rows it matches, from which states. */
interface BulkAction {
  from: readonly LogStatus[];
  set(now: string, held: string): { sql: string; args: string[] };
}

// Retry: a fresh attempt budget under the same id (so the same webhook-id), held instead of
// pending when its target is paused or disabled; the last attempt's result stays visible until
// the next attempt replaces it.
const RETRY: BulkAction = {
  from: ["failed", "cancelled"],
  set: (now, held) => ({ sql: RETRY_SET_SQL, args: [held, now, now] }),
};
// Cancel: only rows no instance is sending. A processing row is mid-attempt on some instance;
// cancelling it under that attempt would be a lie (the request may already have arrived).
const CANCEL: BulkAction = {
  from: ["pending", "held"],
  set: (now) => ({ sql: "status = 'cancelled', updated_at = ?", args: [now] }),
};

/** parseBulkFilter reads the filter of a bulk request: a non-empty filter with known keys only; `now` anchors relative times. */
export function parseBulkFilter(filter: unknown, now: Date): LogFilter {
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    throw fieldError(
      "filter",
      "required",
      'a filter object is required, e.g. {"filter": {"status": "failed", "collection": "posts"}}',
    );
  }
  const parsed = parseLogFilter(filter as Record<string, unknown>, { strict: true, now });
  if (isEmptyFilter(parsed))
    throw fieldError(
      "filter",
      "empty",
      "the filter selects every delivery; give at least one filter (an empty filter is refused so nothing is retried or cancelled by accident)",
    );
  return parsed;
}

type BulkDeps = { db: Db; clock: Clock; signals: Pick<Signals, "deliveriesQueued">; live: { logs: { poke(): void } } };

/** retryLogs re-queues the failed and cancelled deliveries the filter matches and answers how many. */
export async function retryLogs(deps: BulkDeps, filter: LogFilter): Promise<number> {
  const count = await applyInBatches(deps, filter, RETRY);
  if (count > 0) deps.signals.deliveriesQueued.emit();
  return count;
}

/** cancelLogs cancels the pending and held deliveries the filter matches and answers how many. */
export function cancelLogs(deps: BulkDeps, filter: LogFilter): Promise<number> {
  return applyInBatches(deps, filter, CANCEL);
}

function oldest(rows: { at: string; rowid: number }[]): { at: string; rowid: number } {
  return rows.reduce((a, b) => (b.at < a.at || (b.at === a.at && b.rowid < a.rowid) ? b : a));
}

async function applyInBatches(deps: BulkDeps, filter: LogFilter, action: BulkAction): Promise<number> {
  const statuses = action.from.filter((s) => filter.status === undefined || filter.status === s);
  let count = 0;
  const held = action === RETRY ? await heldTargets(deps.db) : "[]";
  // One walk per status, so each is an equality on the index and the walk needs no sort.
  for (const status of statuses) {
    const { where, args } = filterSql({ ...filter, status });
    let cursor: { at: string; rowid: number } | null = null;
    while (true) {
      const set = action.set(deps.clock.now().toISOString(), held);
      const after = cursor ? `${where ? "AND" : "WHERE"} created_at <= ? AND NOT (created_at = ? AND rowid >= ?)` : "";
      const rs = await deps.db.execute({
        sql: `UPDATE _webhook_logs SET ${set.sql}
              WHERE rowid IN (SELECT rowid FROM _webhook_logs ${where} ${after} ORDER BY created_at DESC, rowid DESC LIMIT ${BATCH_SIZE})
                AND status = '${status}'
              RETURNING rowid, created_at`,
        args: [...set.args, ...args, ...(cursor ? [cursor.at, cursor.at, cursor.rowid] : [])],
      });
      count += rs.rows.length;
      if (rs.rows.length > 0) deps.live.logs.poke();
      if (rs.rows.length < BATCH_SIZE) break;
      cursor = oldest(rs.rows.map((r) => ({ at: String(r.created_at), rowid: Number(r.rowid) })));
      if (action === RETRY) deps.signals.deliveriesQueued.emit();
      // Let requests (and /healthz) in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return count;
}
