// Per-key ordering (docs/delivery.md), the parts the capture SQL and the claim share with migration 006.

/** WAITING_FOR_KEY is the next_attempt_at of a delivery parked behind an earlier one of its key; migration 006 writes the same text. */
export const WAITING_FOR_KEY = "9999-12-31T23:59:59.999Z";

/** UNFINISHED is the SQL list of states in which a delivery holds up the later ones of its key; it must read exactly as in the partial index of migration 006. */
export const UNFINISHED = "('pending', 'processing', 'held')";

/** earlierUnfinishedSql is an SQL condition: a delivery of this target and key before `rowid` (or any, when null) is not finished. */
export function earlierUnfinishedSql(target: string, key: string, rowid: string | null): string {
  return `EXISTS (SELECT 1 FROM _webhook_logs AS earlier INDEXED BY _webhook_logs_ordering
    WHERE earlier.target = ${target} AND earlier.ordering_key = ${key} AND earlier.status IN ${UNFINISHED}${rowid ? ` AND earlier.rowid < ${rowid}` : ""})`;
}
