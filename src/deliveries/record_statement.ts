// The statement that writes finished attempts: one UPDATE for many deliveries, each attempt's
// values bound as parameters of a VALUES list (not a JSON array: SQLite would parse each
// element again per field; docs/decisions/003-one-total-db.md).
// The UPDATE clears each lease only where `owner` still holds it: a row another instance took
// over is theirs now. The unary + keeps SQLite from driving the join by the status index (every
// processing row) instead of looking each attempt up by id. A retry of a paused or disabled
// target is held (the disabled check runs only for retries, and is one primary-key lookup).
// The attempt becomes the row's latest (its own columns); the one it replaces moves to
// _webhook_attempts (a SQLite trigger on tries, migration 009).
import type { InStatement, Value } from "../db/client";

/** AttemptRecord is one finished attempt and the state its delivery moves to. */
export interface AttemptRecord {
  id: string;
  target: string | null;
  /** url is the URL the attempt used: its target's current one at the time. */
  url: string;
  /** hold: the target was paused when the attempt started, so a retry waits as held. */
  hold: boolean;
  status: "success" | "pending" | "failed";
  http_status: number | null;
  error_msg: string | null;
  response_body: string | null;
  duration_ms: number;
  tries: number;
  next_attempt_at: string;
  updated_at: string;
  /** last_attempt_at is when this attempt started. */
  last_attempt_at: string;
}

const COLUMNS = [
  "url",
  "http_status",
  "error_msg",
  "response_body",
  "duration_ms",
  "tries",
  "next_attempt_at",
  "updated_at",
  "last_attempt_at",
] as const;
const BOUND = ["id", "status", "hold", ...COLUMNS] as const;

/** RECORD_ROWS_MAX is the most attempts one statement writes (12 parameters each, well under SQLite's 32,766). */
export const RECORD_ROWS_MAX = 1024;
/**
 * Statements come in sizes of powers of two from 8, the rest of the list filled with rows that
 * match nothing (a NULL id): a handful of distinct statements stay prepared, not one per count.
 */
const SMALLEST = 8;

const sqlBySize = new Map<number, string>();

function recordSql(size: number): string {
  let sql = sqlBySize.get(size);
  if (sql) return sql;
  const row = `(${BOUND.map(() => "?").join(", ")})`;
  sql = `UPDATE _webhook_logs SET status = CASE WHEN a.status = 'pending' AND (a.hold
      OR EXISTS (SELECT 1 FROM _target_health AS h WHERE h.target = _webhook_logs.target AND h.disabled_at IS NOT NULL))
    THEN 'held' ELSE a.status END,
  ${COLUMNS.map((c) => `${c} = a.${c}`).join(", ")}, lease_owner = NULL, lease_expires_at = NULL
FROM (SELECT ${BOUND.map((c, i) => `column${i + 1} AS ${c}`).join(", ")} FROM (VALUES ${Array(size).fill(row).join(", ")})) AS a
WHERE _webhook_logs.id = a.id AND +_webhook_logs.status = 'processing' AND _webhook_logs.lease_owner = ?`;
  sqlBySize.set(size, sql);
  return sql;
}

/** recordStatement writes up to RECORD_ROWS_MAX attempts of deliveries leased to `owner`. */
export function recordStatement(attempts: AttemptRecord[], owner: string): InStatement {
  if (attempts.length > RECORD_ROWS_MAX)
    throw new Error(`at most ${RECORD_ROWS_MAX} attempts per statement, not ${attempts.length}`);
  let size = SMALLEST;
  while (size < attempts.length) size *= 2;
  const args: Value[] = [];
  for (const a of attempts)
    args.push(
      a.id,
      a.status,
      a.hold ? 1 : 0,
      a.url,
      a.http_status,
      a.error_msg,
      a.response_body,
      a.duration_ms,
      a.tries,
      a.next_attempt_at,
      a.updated_at,
      a.last_attempt_at,
    );
  for (let i = (size - attempts.length) * BOUND.length; i > 0; i--) args.push(null);
  args.push(owner);
  return { sql: recordSql(size), args };
}
