// The claim statement. It marks due rows as processing under a lease and returns what the
// dispatcher sends, in one statement, so two instances claiming at once never take the same
// row. It comes in two forms, chosen per claim:
// - plain: due pending rows, oldest first, skipping hosts that are at their share, with the
//   limit cut to the smallest free share left, so no host can go over it. This is the one a
//   busy instance runs over and over, and it costs half the other's time per row;
// - shared out: pending rows and rows whose lease ran out, from a window of rows that is
//   shared out per target host (at most each host's free share). For when a host's small
//   free share would make plain claims tiny, and when a poll has seen an expired lease.
// Both: a delivery with an ordering key is a candidate only when no earlier one of its key is
// unfinished (one index probe; later ones wait parked, outside the window: migration 006), and
// a row this owner's own allow-list refused (refused_by) is left for other instances.
import type { InStatement } from "../db/client";
import { DELIVERY_COLUMNS } from "../deliveries/delivery_row";
import { earlierUnfinishedSql } from "../deliveries/ordering";

/** LEASE_MARGIN_MS is added to a delivery's own timeout so a slow but live attempt keeps its lease. */
const LEASE_MARGIN_MS = 5_000;
/** PLAIN_AT_LEAST is the smallest limit a plain claim is worth running with; below it, the claim is shared out. */
const PLAIN_AT_LEAST = 32;

/** ClaimOptions says who claims, how many, and how busy each target host already is here. */
export interface ClaimOptions {
  owner: string;
  now: Date;
  limit: number;
  leaseMs: number;
  /** hostLimit is the most one target host may hold here. */
  hostLimit: number;
  hostBusy: Map<string, number>;
  /** expiredLeases: a poll saw rows whose lease ran out, so this claim takes those too. */
  expiredLeases?: boolean;
}

// Most deliveries' timeouts fit in the lease, so their expiry is bound from JS: date arithmetic
// in SQL on every row was a tenth of the claim's time.
const SET_LEASE = `SET status = 'processing', lease_owner = :owner, updated_at = :now,
    lease_expires_at = CASE WHEN timeout_ms + ${LEASE_MARGIN_MS} <= :leaseMs THEN :leaseUntil
      ELSE strftime('%Y-%m-%dT%H:%M:%fZ', :now, '+' || ((timeout_ms + ${LEASE_MARGIN_MS}) / 1000.0) || ' seconds') END`;

const DUE_PENDING = `FROM _webhook_logs INDEXED BY _webhook_logs_pending_due
  WHERE status = 'pending' AND next_attempt_at <= :now AND refused_by IS NOT :owner
    AND (ordering_key IS NULL OR NOT ${earlierUnfinishedSql("_webhook_logs.target", "_webhook_logs.ordering_key", "_webhook_logs.rowid")})`;

const PLAIN_SQL = `UPDATE _webhook_logs ${SET_LEASE}
WHERE rowid IN (SELECT rowid ${DUE_PENDING} AND target_host NOT IN (SELECT value FROM json_each(:fullHosts))
                ORDER BY next_attempt_at LIMIT :limit)
RETURNING ${DELIVERY_COLUMNS}`;

const SHARED_OUT_SQL = `UPDATE _webhook_logs ${SET_LEASE}
WHERE rowid IN (
  SELECT c.rid FROM (
    SELECT rid, target_host, row_number() OVER (PARTITION BY target_host ORDER BY due) AS n FROM (
      SELECT * FROM (SELECT rowid AS rid, target_host, next_attempt_at AS due ${DUE_PENDING} ORDER BY next_attempt_at LIMIT :scan)
      UNION ALL
      SELECT * FROM (SELECT rowid AS rid, target_host, lease_expires_at AS due FROM _webhook_logs INDEXED BY _webhook_logs_processing_lease
                     WHERE status = 'processing' AND lease_expires_at <= :now ORDER BY lease_expires_at LIMIT :scan)
    )
  ) AS c LEFT JOIN json_each(:hostBusy) AS busy ON busy.key = c.target_host
  WHERE c.n <= :hostLimit - coalesce(busy.value, 0)
  LIMIT :limit
)
RETURNING ${DELIVERY_COLUMNS}`;

/** claimStatement picks the form for this claim (see above) and binds it. */
export function claimStatement(o: ClaimOptions): InStatement {
  const full: string[] = [];
  let plainLimit = Math.min(o.limit, o.hostLimit);
  for (const [host, busy] of o.hostBusy) {
    const free = o.hostLimit - busy;
    if (free <= 0) full.push(host);
    else plainLimit = Math.min(plainLimit, free);
  }
  const common = {
    owner: o.owner,
    now: o.now.toISOString(),
    leaseMs: o.leaseMs,
    leaseUntil: new Date(o.now.getTime() + o.leaseMs).toISOString(),
  };
  if (!o.expiredLeases && plainLimit >= Math.min(o.limit, PLAIN_AT_LEAST)) {
    return { sql: PLAIN_SQL, args: { ...common, fullHosts: JSON.stringify(full), limit: plainLimit } };
  }
  // The window is twice the limit: enough for a few busy hosts' rows to be passed over,
  // while its cost (read, sorted and numbered per host) stays in step with what is claimed.
  return {
    sql: SHARED_OUT_SQL,
    args: {
      ...common,
      scan: Math.max(2 * o.limit, 64),
      hostBusy: JSON.stringify(Object.fromEntries(o.hostBusy)),
      hostLimit: o.hostLimit,
      limit: o.limit,
    },
  };
}
