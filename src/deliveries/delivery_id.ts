// Delivery ids: 32 hex digits that sort by creation time. The first 12 digits are the
// creation time in milliseconds, so new rows land at the end of every index keyed by id
// (the log's primary key, the attempt history) instead of at random pages all over them:
// a random id made each delivery dirty its own leaf page in both, at capture, at each
// update and at commit. The rest is random (and, from SQL, a sequence), so ids stay unique
// and unguessable enough for a webhook-id; nothing reads the time back out of them.

/**
 * DELIVERY_ID_SQL makes an id inside the capture triggers: time, then the next rowid of the
 * log (6 digits, so the many deliveries one statement captures in the same millisecond still
 * follow each other), then 14 random digits.
 */
export const DELIVERY_ID_SQL = `printf('%012x%06x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),
    (SELECT coalesce(max(rowid), 0) + 1 FROM _webhook_logs) % 16777216) || lower(hex(randomblob(7)))`;

/** newDeliveryId makes an id from code: time, then 20 random digits. */
export function newDeliveryId(now = Date.now()): string {
  return now.toString(16).padStart(12, "0") + crypto.randomUUID().replaceAll("-", "").slice(0, 20);
}
