// Writes _webhook_logs rows directly, for tests of the log's listing, bulk actions and
// retention that need exact states and times rather than real deliveries.
import type { Db } from "../../src/db/client";

/** LogRowSeed is the part of a row a test cares about; the rest gets plausible defaults. */
export interface LogRowSeed {
  id: string;
  source?: "trigger" | "webhook" | "cron";
  collection?: string | null;
  record_id?: string | null;
  trigger_id?: string | null;
  webhook?: string | null;
  cron_job?: string | null;
  status?: string;
  http_status?: number | null;
  tries?: number;
  created_at?: string;
  updated_at?: string;
  next_attempt_at?: string;
  lease_owner?: string | null;
  lease_expires_at?: string | null;
}

const COLUMNS = [
  "id",
  "source",
  "collection",
  "action",
  "record_id",
  "trigger_id",
  "webhook",
  "cron_job",
  "url",
  "payload",
  "status",
  "http_status",
  "tries",
  "next_attempt_at",
  "lease_owner",
  "lease_expires_at",
  "created_at",
  "updated_at",
] as const;

/** insertLogRows inserts the rows in one statement per 500, in order (so rowid follows the array). */
export async function insertLogRows(db: Db, seeds: LogRowSeed[], url = "http://127.0.0.1:9/hook"): Promise<void> {
  const now = new Date().toISOString();
  for (let i = 0; i < seeds.length; i += 500) {
    const rows = seeds.slice(i, i + 500).map((s) => {
      const source = s.source ?? "trigger";
      const created = s.created_at ?? now;
      return {
        id: s.id,
        source,
        collection: s.collection === undefined ? (source === "trigger" ? "posts" : null) : s.collection,
        action: source === "trigger" ? "create" : null,
        record_id: s.record_id === undefined ? (source === "trigger" ? `r_${s.id}` : null) : s.record_id,
        trigger_id: s.trigger_id === undefined ? (source === "trigger" ? "t1" : null) : s.trigger_id,
        webhook: s.webhook === undefined ? (source === "webhook" ? "hook" : null) : s.webhook,
        cron_job: s.cron_job === undefined ? (source === "cron" ? "job" : null) : s.cron_job,
        url,
        payload: JSON.stringify({ id: s.id }),
        status: s.status ?? "pending",
        http_status: s.http_status ?? null,
        tries: s.tries ?? 0,
        next_attempt_at: s.next_attempt_at ?? created,
        lease_owner: s.lease_owner ?? null,
        lease_expires_at: s.lease_expires_at ?? null,
        created_at: created,
        updated_at: s.updated_at ?? created,
      };
    });
    await db.execute({
      sql: `INSERT INTO _webhook_logs (${COLUMNS.join(", ")}) SELECT ${COLUMNS.map((c) => `value ->> '$.${c}'`).join(", ")} FROM json_each(?)`,
      args: [JSON.stringify(rows)],
    });
  }
}
