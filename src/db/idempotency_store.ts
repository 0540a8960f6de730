// The statements behind Idempotency-Key (migration 013's _idempotency_keys): take a key,
// read what it answered, store the answer, forget it, and prune keys older than a day.
import type { Db } from "./client";

/** KEEP_MS is how long a key and its answer are kept: 24 h. */
export const KEEP_MS = 24 * 60 * 60 * 1000;

/** StoredAnswer is a key's row: the request's fingerprint and, once it finished, its answer. */
export interface StoredAnswer {
  fingerprint: string;
  status: number | null;
  headers: Record<string, string>;
  body: string;
  createdAt: string;
}

const cutoff = (now: Date) => new Date(now.getTime() - KEEP_MS).toISOString();

/** takeKey records the key as running; false when someone holds it already (an expired row is replaced). */
export async function takeKey(db: Db, owner: string, key: string, fingerprint: string, now: Date): Promise<boolean> {
  const rs = await db.execute({
    sql: `INSERT INTO _idempotency_keys (owner, key, fingerprint, created_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (owner, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = NULL, headers = NULL,
            body = NULL, created_at = excluded.created_at
          WHERE _idempotency_keys.created_at < ?
          RETURNING 1`,
    args: [owner, key, fingerprint, now.toISOString(), cutoff(now)],
  });
  return rs.rows.length === 1;
}

/** findAnswer reads the key's row when it is younger than a day. */
export async function findAnswer(db: Db, owner: string, key: string, now: Date): Promise<StoredAnswer | null> {
  const rs = await db.execute({
    sql: "SELECT fingerprint, status, headers, body, created_at FROM _idempotency_keys WHERE owner = ? AND key = ? AND created_at >= ?",
    args: [owner, key, cutoff(now)],
  });
  const r = rs.rows[0];
  if (!r) return null;
  return {
    fingerprint: String(r.fingerprint),
    status: r.status === null ? null : Number(r.status),
    headers: r.headers === null ? {} : JSON.parse(String(r.headers)),
    body: r.body === null ? "" : String(r.body),
    createdAt: String(r.created_at),
  };
}

/** storeAnswer keeps the answer the first request got. */
export async function storeAnswer(
  db: Db,
  owner: string,
  key: string,
  answer: { status: number; headers: Record<string, string>; body: string },
): Promise<void> {
  await db.execute({
    sql: "UPDATE _idempotency_keys SET status = ?, headers = ?, body = ? WHERE owner = ? AND key = ?",
    args: [answer.status, JSON.stringify(answer.headers), answer.body, owner, key],
  });
}

/** forgetKey frees a key (its request was refused, or its holder is gone); with `takenAt`, only that taking of it. */
export async function forgetKey(db: Db, owner: string, key: string, takenAt?: string): Promise<void> {
  await db.execute({
    sql: `DELETE FROM _idempotency_keys WHERE owner = ? AND key = ? ${takenAt ? "AND created_at = ? AND status IS NULL" : ""}`,
    args: takenAt ? [owner, key, takenAt] : [owner, key],
  });
}

/** pruneIdempotencyKeys deletes keys older than a day, up to `limit`, and answers how many. */
export async function pruneIdempotencyKeys(db: Db, now: Date, limit: number): Promise<number> {
  const rs = await db.execute({
    sql: `DELETE FROM _idempotency_keys WHERE (owner, key) IN (
            SELECT owner, key FROM _idempotency_keys WHERE created_at < ? ORDER BY created_at LIMIT ${limit})`,
    args: [cutoff(now)],
  });
  return rs.rowsAffected;
}
