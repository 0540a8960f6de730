// The catalogue of cron jobs in _cron_jobs. Every change calls deps.cronChanged so this
// process's scheduler re-reads the jobs at once; other instances notice on their next reload.
import type { InStatement, Row } from "@libsql/client";
import { newId, type Deps } from "../deps";
import { ConflictError, NotFoundError } from "../errors";
import { requestSettingsArgs, rowToRequestSettings } from "../dispatch/request_settings";
import type { CronJob, CronJobSpec } from "./cron_input";

type StoreDeps = Pick<Deps, "db" | "clock" | "cronChanged">;

/** rowToCronJob reads one _cron_jobs row. */
export function rowToCronJob(row: Row): CronJob {
  const text = (v: unknown) => (v === null ? null : String(v));
  return {
    id: String(row.id),
    name: String(row.name),
    schedule: String(row.schedule),
    timezone: String(row.timezone),
    type: String(row.type) as CronJob["type"],
    sql: text(row.sql),
    database: "default",
    url: text(row.url),
    ...rowToRequestSettings(row),
    created: String(row.created),
    updated: String(row.updated),
  };
}

function specArgs(j: CronJobSpec) {
  return [j.name, j.schedule, j.timezone, j.type, j.sql, j.database, j.url, ...requestSettingsArgs(j)];
}

/** listCronJobs answers every job, by name. */
export async function listCronJobs({ db }: Pick<Deps, "db">): Promise<CronJob[]> {
  const rs = await db.execute("SELECT * FROM _cron_jobs ORDER BY name");
  return rs.rows.map(rowToCronJob);
}

/** getCronJob answers the job with that name or throws NotFoundError. */
export async function getCronJob({ db }: Pick<Deps, "db">, name: string): Promise<CronJob> {
  const rs = await db.execute({ sql: "SELECT * FROM _cron_jobs WHERE name = ?", args: [name] });
  if (!rs.rows[0]) throw new NotFoundError(`cron job "${name}"`);
  return rowToCronJob(rs.rows[0]);
}

/** createCronJob stores a new job and schedules it; a taken name is a ConflictError. */
export async function createCronJob(deps: StoreDeps, spec: CronJobSpec): Promise<CronJob> {
  const now = deps.clock.now().toISOString();
  const job: CronJob = { ...spec, id: newId(), created: now, updated: now };
  await writeJobs(deps, spec.name, [
    {
      sql: `INSERT INTO _cron_jobs (name, schedule, timezone, type, sql, database, url, method, headers, body, content_type,
              retry_limit, jwt_enabled, timeout_ms, active, id, created, updated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [...specArgs(spec), job.id, now, now],
    },
  ]);
  return job;
}

/** updateCronJob replaces a job's definition; a rename carries its run history along. */
export async function updateCronJob(deps: StoreDeps, before: CronJob, spec: CronJobSpec): Promise<CronJob> {
  const after: CronJob = { ...before, ...spec, updated: deps.clock.now().toISOString() };
  await writeJobs(deps, spec.name, [
    {
      sql: `UPDATE _cron_jobs SET name = ?, schedule = ?, timezone = ?, type = ?, sql = ?, database = ?, url = ?, method = ?, headers = ?,
              body = ?, content_type = ?, retry_limit = ?, jwt_enabled = ?, timeout_ms = ?, active = ?, updated = ? WHERE id = ?`,
      args: [...specArgs(spec), after.updated, before.id],
    },
    { sql: "UPDATE _cron_runs SET job = ? WHERE job = ?", args: [after.name, before.name] },
  ]);
  return after;
}

/** deleteCronJob unschedules a job and forgets its run history; its delivery logs stay. */
export async function deleteCronJob(deps: StoreDeps, name: string): Promise<CronJob> {
  const job = await getCronJob(deps, name);
  await writeJobs(deps, name, [
    { sql: "DELETE FROM _cron_jobs WHERE id = ?", args: [job.id] },
    { sql: "DELETE FROM _cron_runs WHERE job = ?", args: [job.name] },
  ]);
  return job;
}

async function writeJobs(deps: StoreDeps, name: string, statements: InStatement[]): Promise<void> {
  try {
    await deps.db.batch(statements, "write");
  } catch (err) {
    if (/UNIQUE/i.test(String(err))) throw new ConflictError(`a cron job named "${name}" already exists`);
    throw err;
  }
  deps.cronChanged();
}
