// Delivery counts for the dashboard's overview: finished deliveries per minute by outcome, and
// what is still queued. Counting happens in SQL so only a few numbers per minute leave the database.
import type { Db } from "../db/client";
import type { Clock } from "../runtime/clock";

/** MinuteCount is how many deliveries created in one minute (UTC, "YYYY-MM-DDTHH:MM") ended in success or failure. */
export interface MinuteCount {
  minute: string;
  success: number;
  failed: number;
  /** recovered: of the successes, those delivered after a failed attempt (a retry made them good). */
  recovered: number;
}

/** DeliveryStats is the overview: per-minute outcomes since `since`, queue sizes and the oldest due delivery. */
export interface DeliveryStats {
  since: string;
  until: string;
  minutes: MinuteCount[];
  queued: { pending: number; processing: number; held: number };
  oldestDueAt: string | null;
}

/** deliveryStats counts outcomes per minute over the last `hours` hours; minutes with none are left out. */
export async function deliveryStats({ db, clock }: { db: Db; clock: Clock }, hours: number): Promise<DeliveryStats> {
  const now = clock.now();
  const until = now.toISOString();
  const since = new Date(now.getTime() - hours * 3_600_000).toISOString();
  const [perMinute, queued, due] = await db.batch(
    [
      {
        // Earlier attempts are in _webhook_attempts (the latest is the row's own), so a success
        // with one there that did not get a 2xx was recovered by a retry.
        sql: `SELECT substr(created_at, 1, 16) AS minute, sum(status = 'success') AS success, sum(status = 'failed') AS failed,
                sum(status = 'success' AND EXISTS (SELECT 1 FROM _webhook_attempts AS a WHERE a.delivery_id = l.id
                  AND (a.http_status IS NULL OR a.http_status NOT BETWEEN 200 AND 299))) AS recovered
              FROM _webhook_logs AS l WHERE created_at >= ? AND status IN ('success', 'failed') GROUP BY minute ORDER BY minute`,
        args: [since],
      },
      {
        sql: "SELECT status, count(*) AS n FROM _webhook_logs WHERE status IN ('pending', 'processing', 'held') GROUP BY status",
        args: [],
      },
      {
        sql: "SELECT min(next_attempt_at) AS at FROM _webhook_logs WHERE status = 'pending' AND next_attempt_at <= ?",
        args: [until],
      },
    ],
    "read",
  );
  const counts = { pending: 0, processing: 0, held: 0 } as DeliveryStats["queued"];
  for (const r of queued!.rows) counts[String(r.status) as keyof typeof counts] = Number(r.n);
  return {
    since,
    until,
    minutes: perMinute!.rows.map((r) => ({
      minute: String(r.minute),
      success: Number(r.success),
      failed: Number(r.failed),
      recovered: Number(r.recovered),
    })),
    queued: counts,
    oldestDueAt: due!.rows[0]?.at == null ? null : String(due!.rows[0].at),
  };
}
