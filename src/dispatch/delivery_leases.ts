// Claiming deliveries with a lease, and giving leases back. A claim is one statement, so
// two instances claiming at once can never take the same row; a dead instance's rows come
// back once their lease expires.
import type { Db } from "../db/client";
import { rowToDelivery, type Delivery } from "./delivery_row";
import { earlierUnfinishedSql } from "./ordering";

/** LEASE_MARGIN_MS is added to a delivery's own timeout so a slow but live attempt keeps its lease. */
const LEASE_MARGIN_MS = 5_000;

/** ClaimOptions says who claims, how many, and how busy each target host already is here. */
export interface ClaimOptions {
  owner: string;
  now: Date;
  limit: number;
  leaseMs: number;
  hostLimit: number;
  hostBusy: Map<string, number>;
}

/**
 * CLAIM_SQL marks up to :limit due rows as processing and returns them. Candidates are due
 * pending rows and processing rows whose lease expired, oldest due first, from a window of
 * :scan rows (so the cost stays flat however long the backlog); within it, each target
 * host gets at most its free share (:hostLimit minus what is already in flight there).
 * A delivery with an ordering key is a candidate only when no earlier one of its key is
 * unfinished (one index probe; later ones wait parked, outside the window: migration 006).
 * A pending row this owner's own allow-list refused (refused_by) is left for other instances.
 */
const CLAIM_SQL = `
UPDATE _webhook_logs
SET status = 'processing', lease_owner = :owner, updated_at = :now,
    lease_expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', :now, '+' || (max(:leaseMs, timeout_ms + ${LEASE_MARGIN_MS}) / 1000.0) || ' seconds')
WHERE id IN (
  SELECT c.id FROM (
    SELECT id, target_host, row_number() OVER (PARTITION BY target_host ORDER BY due) AS n FROM (
      SELECT * FROM (SELECT id, target_host, next_attempt_at AS due FROM _webhook_logs INDEXED BY _webhook_logs_pending_due
                     WHERE status = 'pending' AND next_attempt_at <= :now AND refused_by IS NOT :owner
                       AND (ordering_key IS NULL OR NOT ${earlierUnfinishedSql("_webhook_logs.target", "_webhook_logs.ordering_key", "_webhook_logs.rowid")})
                     ORDER BY next_attempt_at LIMIT :scan)
      UNION ALL
      SELECT * FROM (SELECT id, target_host, lease_expires_at AS due FROM _webhook_logs INDEXED BY _webhook_logs_processing_lease
                     WHERE status = 'processing' AND lease_expires_at <= :now ORDER BY lease_expires_at LIMIT :scan)
    )
  ) AS c LEFT JOIN json_each(:hostBusy) AS busy ON busy.key = c.target_host
  WHERE c.n <= :hostLimit - coalesce(busy.value, 0)
  LIMIT :limit
)
RETURNING *`;

/** claimDueDeliveries leases up to `limit` due deliveries to `owner` in one statement and returns them. */
export async function claimDueDeliveries(db: Db, o: ClaimOptions): Promise<Delivery[]> {
  const rs = await db.execute({
    sql: CLAIM_SQL,
    args: {
      owner: o.owner,
      now: o.now.toISOString(),
      leaseMs: o.leaseMs,
      scan: Math.max(o.limit * 4, 256),
      hostBusy: JSON.stringify(Object.fromEntries(o.hostBusy)),
      hostLimit: o.hostLimit,
      limit: o.limit,
    },
  });
  return rs.rows.map(rowToDelivery);
}

const RELEASE_SET = "SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, updated_at = :now";

/** releaseOwnLeases returns every row this owner still holds to pending (shutdown, or a restart under the same instance id). */
export async function releaseOwnLeases(db: Db, owner: string, now: Date): Promise<number> {
  const rs = await db.execute({
    sql: `UPDATE _webhook_logs ${RELEASE_SET} WHERE status = 'processing' AND lease_owner = :owner`,
    args: { owner, now: now.toISOString() },
  });
  return rs.rowsAffected;
}

/** releaseExpiredLeases returns rows whose lease ran out (their owner died) to pending. */
export async function releaseExpiredLeases(db: Db, now: Date): Promise<number> {
  const rs = await db.execute({
    sql: `UPDATE _webhook_logs ${RELEASE_SET} WHERE status = 'processing' AND lease_expires_at <= :now`,
    args: { now: now.toISOString() },
  });
  return rs.rowsAffected;
}

/** DueWork is what an idle look at the queue found: how long until the next pending row is due, and whether a lease ran out. */
export interface DueWork {
  msUntilDue: number | null;
  expiredLease: boolean;
}

/**
 * findDueWork reads (never writes) when work is next due for `owner`. Polls use it so that an idle
 * instance only reads: on a libSQL server every write goes through the one write lock
 * (and sqld's default WAL has locked up under many small writes from several instances).
 */
export async function findDueWork(db: Db, now: Date, owner: string): Promise<DueWork> {
  const rs = await db.execute({
    sql: `SELECT (SELECT next_attempt_at FROM _webhook_logs INDEXED BY _webhook_logs_pending_due
                  WHERE status = 'pending' AND refused_by IS NOT :owner ORDER BY next_attempt_at LIMIT 1) AS due,
                 EXISTS (SELECT 1 FROM _webhook_logs INDEXED BY _webhook_logs_processing_lease WHERE status = 'processing' AND lease_expires_at <= :now) AS expired`,
    args: { now: now.toISOString(), owner },
  });
  const row = rs.rows[0]!;
  const due = row.due === null || row.due === undefined ? null : Math.max(0, Date.parse(String(row.due)) - now.getTime());
  return { msUntilDue: due, expiredLease: Number(row.expired) === 1 };
}
