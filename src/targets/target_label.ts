// A target as operators read it in logs, metrics and operational events: `<collection>/<trigger
// id>`, `webhook/<name>`, `cron/<name>` (target keys are built from ids, which say nothing).
import type { Db } from "../db/client";

/** TARGET_LABELS_SQL lists every existing target's key with its label. */
export const TARGET_LABELS_SQL = `
SELECT 'trigger:' || c.id || ':' || (t.value ->> '$.id') AS target, c.name || '/' || (t.value ->> '$.id') AS label
  FROM _collections AS c, json_each(c.options, '$.triggers') AS t
UNION ALL SELECT 'webhook:' || id, 'webhook/' || name FROM _webhooks
UNION ALL SELECT 'cron:' || id, 'cron/' || name FROM _cron_jobs`;

/** deliveryTargetLabel names a delivery's target from what its row carries (no read): names are those at enqueue time. */
export function deliveryTargetLabel(d: {
  source: "trigger" | "webhook" | "cron";
  collection: string | null;
  webhook: string | null;
  cronJob: string | null;
  target: string | null;
}): string {
  if (d.source === "webhook") return `webhook/${d.webhook}`;
  if (d.source === "cron") return `cron/${d.cronJob}`;
  // trigger:<collection id>:<trigger id>
  const triggerId = d.target === null ? "?" : d.target.slice(d.target.lastIndexOf(":") + 1);
  return `${d.collection}/${triggerId}`;
}

/** targetLabels reads the labels of the given target keys; a key whose target is gone is labelled by the key itself. */
export async function targetLabels(db: Db, keys: string[]): Promise<Map<string, string>> {
  const labels = new Map(keys.map((k) => [k, k]));
  if (keys.length === 0) return labels;
  const rs = await db.execute({
    sql: `SELECT target, label FROM (${TARGET_LABELS_SQL}) WHERE target IN (SELECT value FROM json_each(?))`,
    args: [JSON.stringify(keys)],
  });
  for (const r of rs.rows) labels.set(String(r.target), String(r.label));
  return labels;
}
