// One instance at a time: a background job (a retention pass) is claimed with one UPDATE on
// its _jobs row, which only lands while the job is due and nobody holds an unexpired lease.
import type { Db } from "../db/client";

/** JobLease is a claimed run of a job, held until finish or until it expires. */
export interface JobLease {
  name: string;
  owner: string;
  /** renew pushes the lease out again, for a run that is still going. */
  renew(now: Date): Promise<void>;
  /** finish releases the lease, stores the result and makes the job due again after `nextInMs`. */
  finish(now: Date, nextInMs: number, result: unknown): Promise<void>;
}

/** claimJob claims the named job for `owner` when it is due and free, or answers null. */
export async function claimJob(
  db: Db,
  name: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<JobLease | null> {
  const at = now.toISOString();
  const until = (t: Date) => new Date(t.getTime() + leaseMs).toISOString();
  await db.execute({ sql: "INSERT OR IGNORE INTO _jobs (name) VALUES (?)", args: [name] });
  const rs = await db.execute({
    sql: `UPDATE _jobs SET owner = ?, lease_expires_at = ?
          WHERE name = ? AND next_run_at <= ? AND (lease_expires_at IS NULL OR lease_expires_at <= ?) RETURNING name`,
    args: [owner, until(now), name, at, at],
  });
  if (rs.rows.length === 0) return null;
  return {
    name,
    owner,
    async renew(t) {
      await db.execute({
        sql: "UPDATE _jobs SET lease_expires_at = ? WHERE name = ? AND owner = ?",
        args: [until(t), name, owner],
      });
    },
    async finish(t, nextInMs, result) {
      await db.execute({
        sql: "UPDATE _jobs SET lease_expires_at = NULL, next_run_at = ?, last_result = ? WHERE name = ? AND owner = ?",
        args: [new Date(t.getTime() + nextInMs).toISOString(), JSON.stringify(result), name, owner],
      });
    },
  };
}
