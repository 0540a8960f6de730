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
