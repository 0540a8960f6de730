// Claiming deliveries with a lease (claim_statement.ts), and giving leases back: a dead
// instance's rows come back once their lease expires. `Leases` is the dispatcher's claim step.
import type { Db } from "../db/client";
import { claimStatement, type ClaimOptions } from "./claim_statement";
import { rowToDelivery, type Delivery } from "../deliveries/delivery_row";

export type { ClaimOptions };

/** claimDueDeliveries leases up to `limit` due deliveries to `owner` in one statement and returns them. */
export async function claimDueDeliveries(db: Db, o: ClaimOptions): Promise<Delivery[]> {
  const rs = await db.execute(claimStatement(o));
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

/** deferDelivery puts a claimed delivery back to pending, due at `until`, without using an attempt (throttling). */
export async function deferDelivery(db: Db, id: string, owner: string, until: Date, now: Date): Promise<void> {
  await db.execute({
    sql: `UPDATE _webhook_logs ${RELEASE_SET}, next_attempt_at = :until WHERE id = :id AND lease_owner = :owner AND status = 'processing'`,
    args: { id, owner, until: until.toISOString(), now: now.toISOString() },
  });
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
  const due =
    row.due === null || row.due === undefined ? null : Math.max(0, Date.parse(String(row.due)) - now.getTime());
  return { msUntilDue: due, expiredLease: Number(row.expired) === 1 };
}

/** Leases is one dispatcher's side of the leases: what it reads, claims, defers and gives back, as `owner`. */
export class Leases {
  /** A look saw a lease run out: the next claim takes such rows too (claim_statement.ts). */
  private expiredSeen = false;

  constructor(
    private readonly db: Db,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** findDue reads when work is next due (findDueWork) and remembers a lease that ran out for the next claim. */
  async findDue(now: Date): Promise<DueWork> {
    const due = await findDueWork(this.db, now, this.owner);
    if (due.expiredLease) this.expiredSeen = true;
    return due;
  }

  /** claim leases up to `limit` due deliveries to this owner, rows of expired leases too when a look saw one. */
  async claim(now: Date, o: Pick<ClaimOptions, "limit" | "hostLimit" | "hostBusy">): Promise<Delivery[]> {
    const expiredLeases = this.expiredSeen;
    const claimed = await claimDueDeliveries(this.db, {
      owner: this.owner,
      now,
      limit: o.limit,
      leaseMs: this.leaseMs,
      hostLimit: o.hostLimit,
      hostBusy: o.hostBusy,
      expiredLeases,
    });
    if (expiredLeases) this.expiredSeen = false;
    return claimed;
  }

  /** defer puts a claimed delivery back to pending, due at `until` (deferDelivery). */
  defer(id: string, until: Date, now: Date): Promise<void> {
    return deferDelivery(this.db, id, this.owner, until, now);
  }

  /** releaseOwn returns every row this owner still holds to pending (releaseOwnLeases). */
  releaseOwn(now: Date): Promise<number> {
    return releaseOwnLeases(this.db, this.owner, now);
  }
}
