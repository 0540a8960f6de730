// Health and holding of targets (docs/delivery.md). A paused or disabled target's deliveries wait as
// `held`: captured, not attempted, no tries used. These are the statements the catalogue
// stores put in the same batch as the change that pauses, resumes, enables or deletes.
import type { Db, InStatement, Row } from "../db/client";
import { quoteLiteral } from "../lib/sql_text";
import { nullableText } from "../lib/column_values";

/** TargetHealth is how a target's deliveries have been ending. */
export interface TargetHealth {
  lastDeliveryAt: string | null;
  lastStatus: string | null;
  consecutiveFailures: number;
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
}

/** NO_HEALTH is the health of a target that has finished no delivery yet. */
export const NO_HEALTH: TargetHealth = {
  lastDeliveryAt: null,
  lastStatus: null,
  consecutiveFailures: 0,
  failingSince: null,
  disabledAt: null,
  disabledReason: null,
};

/** withoutHealth drops the health fields, leaving the definition (health changes with every delivery, the definition does not). */
export function withoutHealth<T extends TargetHealth>(target: T): Omit<T, keyof TargetHealth> {
  const {
    lastDeliveryAt: _a,
    lastStatus: _b,
    consecutiveFailures: _c,
    failingSince: _d,
    disabledAt: _e,
    disabledReason: _f,
    ...definition
  } = target;
  return definition;
}

/** HEALTH_COLUMNS selects a _target_health row aliased as h (for a LEFT JOIN beside a definition). */
export const HEALTH_COLUMNS =
  "h.last_delivery_at, h.last_status, h.consecutive_failures, h.failing_since, h.disabled_at, h.disabled_reason";

/** rowToHealth reads the health columns of a row (all null when the target has none yet). */
export function rowToHealth(row: Row): TargetHealth {
  return {
    lastDeliveryAt: nullableText(row.last_delivery_at),
    lastStatus: nullableText(row.last_status),
    consecutiveFailures: Number(row.consecutive_failures ?? 0),
    failingSince: nullableText(row.failing_since),
    disabledAt: nullableText(row.disabled_at),
    disabledReason: nullableText(row.disabled_reason),
  };
}

/** readHealth answers the health of each of the given targets (NO_HEALTH when unknown). */
export async function readHealth(db: Db, targets: string[]): Promise<Map<string, TargetHealth>> {
  const out = new Map<string, TargetHealth>();
  if (targets.length === 0) return out;
  const rs = await db.execute({
    sql: `SELECT target, ${HEALTH_COLUMNS.replaceAll("h.", "")} FROM _target_health WHERE target IN (SELECT value FROM json_each(?))`,
    args: [JSON.stringify(targets)],
  });
  for (const row of rs.rows) out.set(String(row.target), rowToHealth(row));
  return out;
}

/**
 * heldStatusSql is the SQL status of a new delivery: held when its target is paused (known
 * when the SQL is written) or disabled (looked up at insert time), pending otherwise.
 */
export function heldStatusSql(targetSql: string, paused: boolean): string {
  if (paused) return "'held'";
  return `CASE WHEN EXISTS (SELECT 1 FROM _target_health WHERE target = ${targetSql} AND disabled_at IS NOT NULL) THEN 'held' ELSE 'pending' END`;
}

/** heldStatusLiteral is heldStatusSql for a known target key. */
export function heldStatusLiteral(target: string, paused: boolean): string {
  return heldStatusSql(quoteLiteral(target), paused);
}

/** holdStatement makes a target's waiting deliveries (new ones and retries) held. */
export function holdStatement(target: string, now: string): InStatement {
  return {
    sql: "UPDATE _webhook_logs SET status = 'held', updated_at = ? WHERE status = 'pending' AND target = ?",
    args: [now, target],
  };
}

/** holdClaimedStatement puts a delivery this owner claimed but did not send back as held, its tries untouched. */
export function holdClaimedStatement(id: string, owner: string, now: string): InStatement {
  return {
    sql: "UPDATE _webhook_logs SET status = 'held', lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND status = 'processing' AND lease_owner = ?",
    args: [now, id, owner],
  };
}

/** releaseStatement makes a target's held deliveries due now, in commit order (claims take equal due times by rowid). */
function releaseStatement(target: string, now: string): InStatement {
  return {
    sql: "UPDATE _webhook_logs SET status = 'pending', next_attempt_at = ?, updated_at = ? WHERE status = 'held' AND target = ?",
    args: [now, now, target],
  };
}

/** enableStatements clear a disabled target's state and release what it held. */
function enableStatements(target: string, now: string): InStatement[] {
  return [
    {
      sql: "UPDATE _target_health SET disabled_at = NULL, disabled_reason = NULL, consecutive_failures = 0, failing_since = NULL WHERE target = ? AND disabled_at IS NOT NULL",
      args: [target],
    },
    releaseStatement(target, now),
  ];
}

/** pauseChangeStatements hold, release or enable as a target's paused flag goes from `before` to `after`; `enable` is an explicit paused: false. */
export function pauseChangeStatements(
  target: string,
  now: string,
  before: boolean,
  after: boolean,
  enable: boolean,
): InStatement[] {
  if (after) return before ? [] : [holdStatement(target, now)];
  if (enable) return enableStatements(target, now);
  return before ? [releaseStatement(target, now)] : [];
}

/** dropHeldStatement ends the held deliveries of a deleted target as failed: nothing could ever release them. */
export function dropHeldStatement(target: string, now: string): InStatement {
  return {
    sql: "UPDATE _webhook_logs SET status = 'failed', error_msg = 'not sent: its target was deleted while the delivery was held', updated_at = ? WHERE status = 'held' AND target = ?",
    args: [now, target],
  };
}
