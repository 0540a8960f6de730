// A target is what a delivery is sent for: a collection trigger, a standalone webhook or an
// HTTP cron job. Its key is built from ids, not names, so a rename keeps its secret, health
// and queued deliveries; deliveries carry the key in _webhook_logs.target.

/** triggerTarget is the key of one trigger of a collection. */
export function triggerTarget(collectionId: string, triggerId: string): string {
  return `trigger:${collectionId}:${triggerId}`;
}

/** webhookTarget is the key of a standalone webhook. */
export function webhookTarget(webhookId: string): string {
  return `webhook:${webhookId}`;
}

/** cronTarget is the key of a cron job. */
export function cronTarget(jobId: string): string {
  return `cron:${jobId}`;
}

/**
 * TARGET_KEYS_SQL lists, in SQL, the key of every trigger, webhook and cron job that exists,
 * with its paused flag (1 when paused): the same keys as the functions above.
 */
export const TARGET_KEYS_SQL = `
SELECT 'trigger:' || c.id || ':' || (t.value ->> '$.id') AS target, t.value ->> '$.paused' IN (1, 'true') AS paused
  FROM _collections AS c, json_each(c.options, '$.triggers') AS t
UNION ALL SELECT 'webhook:' || id, paused = 1 FROM _webhooks
UNION ALL SELECT 'cron:' || id, paused = 1 FROM _cron_jobs`;
