// Which targets hold their deliveries right now: paused (on the trigger, webhook or cron job
// definition) or disabled by their health (docs/delivery.md). A retried delivery of such a target waits
// as held, like a new one, instead of being sent behind the pause.
import type { Db } from "../db/client";
import { TARGET_KEYS_SQL } from "./target_key";

const HELD_TARGETS_SQL = `
SELECT json_group_array(target) AS targets FROM (
  SELECT target FROM _target_health WHERE disabled_at IS NOT NULL
  UNION SELECT target FROM (${TARGET_KEYS_SQL}) WHERE paused)`;

/** heldTargets answers the target keys that hold deliveries, as a JSON array for json_each. */
export async function heldTargets(db: Db): Promise<string> {
  const rs = await db.execute(HELD_TARGETS_SQL);
  return String(rs.rows[0]?.targets ?? "[]");
}

/**
 * RETRY_SET_SQL is the SET clause of a retry, single or bulk: a fresh attempt budget under the
 * same id, held when its target holds deliveries. Its parameters: heldTargets' answer, then the
 * time twice (due at, updated at).
 */
export const RETRY_SET_SQL = `status = CASE WHEN target IN (SELECT value FROM json_each(?)) THEN 'held' ELSE 'pending' END,
  tries = 0, next_attempt_at = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?`;
