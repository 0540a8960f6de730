// The delivery log as clients see it (docs/api.md, Webhook logs): listing, one entry, and re-queueing a failed
// delivery. The payload is returned as stored — the exact request body that was sent.
import type { Db, Row } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Signals } from "../runtime/signals";
import { ConflictError, NotFoundError } from "../errors";
import { readPage } from "../db/read_page";
import type { AnswerBudget } from "../lib/answer_budget";
import type { Page, PageRequest } from "../lib/page";
import { nullableText } from "../lib/column_values";
import { heldTargets, RETRY_SET_SQL } from "../targets/held_targets";
import type { LogFilter, LogStatus } from "./log_filter";
import { filterSql, NEWEST_FIRST } from "./log_filter_sql";

/** LogEntry is one delivery in the snake_case shape VSKI clients read (docs/api.md, Webhook logs). */
export interface LogEntry {
  id: string;
  source: string;
  collection: string | null;
  action: string | null;
  record_id: string | null;
  webhook: string | null;
  cron_job: string | null;
  trigger_id: string | null;
  url: string;
  method: string;
  payload: string | null;
  status: LogStatus;
  http_status: number | null;
  error_msg: string | null;
  response_body: string | null;
  tries: number;
  /** retry_limit is the delivery's own cap on attempts; null when its target's retry schedule decides (0 in the row). */
  retry_limit: number | null;
  /** When the next attempt is due; null once the delivery is finished (success, failed, cancelled). */
  next_attempt_at: string | null;
  duration_ms: number | null;
  created_at: string;
  updated_at: string;
}

type LogDeps = { db: Db; clock: Clock; signals: Pick<Signals, "deliveriesQueued"> };

/** LOG_COLUMNS are the columns of a LogEntry, for SELECT and RETURNING. */
export const LOG_COLUMNS =
  "id, source, collection, action, record_id, webhook, cron_job, trigger_id, url, method, payload, status, http_status, error_msg, response_body, tries, retry_limit, next_attempt_at, duration_ms, created_at, updated_at";
const FINISHED = new Set(["success", "failed", "cancelled"]);
const int = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** rowToLogEntry reads a row selected with LOG_COLUMNS. */
export function rowToLogEntry(r: Row): LogEntry {
  return {
    id: String(r.id),
    source: String(r.source),
    collection: nullableText(r.collection),
    action: nullableText(r.action),
    record_id: nullableText(r.record_id),
    webhook: nullableText(r.webhook),
    cron_job: nullableText(r.cron_job),
    trigger_id: nullableText(r.trigger_id),
    url: String(r.url),
    method: String(r.method),
    payload: nullableText(r.payload),
    status: String(r.status) as LogStatus,
    http_status: int(r.http_status),
    error_msg: nullableText(r.error_msg),
    response_body: nullableText(r.response_body),
    tries: Number(r.tries),
    retry_limit: Number(r.retry_limit) || null,
    // The column keeps its last value (the claim index needs one); a finished delivery has no next attempt.
    next_attempt_at: FINISHED.has(String(r.status)) ? null : String(r.next_attempt_at),
    duration_ms: int(r.duration_ms),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

/** listLogs answers one page of deliveries, newest first, within the answer budget; migration 007's indexes serve every filter combination without a sort. */
export async function listLogs(
  { db }: LogDeps,
  filter: LogFilter,
  req: PageRequest,
  budget: AnswerBudget,
): Promise<Page<LogEntry>> {
  const { where, args } = filterSql(filter);
  const query = {
    count: { sql: `SELECT count(*) AS n FROM _webhook_logs ${where}`, args },
    rows: (limit: number, offset: number) => ({
      sql: `SELECT ${LOG_COLUMNS} FROM _webhook_logs ${where} ${NEWEST_FIRST} LIMIT ? OFFSET ?`,
      args: [...args, limit, offset],
    }),
  };
  return readPage(db, query, req, budget, rowToLogEntry);
}

/** getLog answers one delivery or throws NotFoundError. */
export async function getLog({ db }: LogDeps, id: string): Promise<LogEntry> {
  const rs = await db.execute({ sql: `SELECT ${LOG_COLUMNS} FROM _webhook_logs WHERE id = ?`, args: [id] });
  if (!rs.rows[0]) throw new NotFoundError(`webhook log "${id}"`);
  return rowToLogEntry(rs.rows[0]);
}

/**
 * retryLog re-queues a failed or cancelled delivery (as the bulk retry does) with a fresh attempt
 * budget (tries back to 0) under the same id, so receivers see the same webhook-id; it waits as
 * held while its target is paused or disabled. The last attempt's result stays visible until the
 * next attempt replaces it. Any other state is a 409.
 */
export function retryLog(deps: LogDeps, id: string): Promise<LogEntry> {
  return requeue(deps, id, ["failed", "cancelled"], "only a failed or cancelled delivery can be retried");
}

/**
 * resendLog sends any finished delivery again, a success included: a new attempt series under
 * the same id (the same webhook-id); the attempts so far stay in its history (migration 009's
 * trigger moves the last one there when the next is recorded).
 */
export function resendLog(deps: LogDeps, id: string): Promise<LogEntry> {
  return requeue(deps, id, ["success", "failed", "cancelled"], "only a finished delivery can be resent");
}

async function requeue(deps: LogDeps, id: string, from: LogStatus[], rule: string): Promise<LogEntry> {
  const now = deps.clock.now().toISOString();
  const rs = await deps.db.execute({
    sql: `UPDATE _webhook_logs SET ${RETRY_SET_SQL}
          WHERE id = ? AND status IN (${from.map((s) => `'${s}'`).join(", ")}) RETURNING ${LOG_COLUMNS}`,
    args: [await heldTargets(deps.db), now, now, id],
  });
  if (!rs.rows[0]) {
    const current = await getLog(deps, id);
    throw new ConflictError(`webhook log "${id}" is ${current.status}; ${rule}`);
  }
  deps.signals.deliveriesQueued.emit();
  return rowToLogEntry(rs.rows[0]);
}

/** cancelLog cancels one pending or held delivery, so it is never sent; any other state is a 409 naming it. */
export async function cancelLog(deps: LogDeps, id: string): Promise<LogEntry> {
  const rs = await deps.db.execute({
    sql: `UPDATE _webhook_logs SET status = 'cancelled', updated_at = ?
          WHERE id = ? AND status IN ('pending', 'held') RETURNING ${LOG_COLUMNS}`,
    args: [deps.clock.now().toISOString(), id],
  });
  if (!rs.rows[0]) {
    const current = await getLog(deps, id);
    throw new ConflictError(
      `webhook log "${id}" is ${current.status}; only a pending or held delivery can be cancelled`,
    );
  }
  return rowToLogEntry(rs.rows[0]);
}
