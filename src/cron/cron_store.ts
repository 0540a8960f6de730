// The catalogue of cron jobs in _cron_jobs, with each one's signing secret (kept in
// _target_secrets, never answered here) and health. Every change emits the cronChanged signal so
// this process's scheduler re-reads the jobs at once; other instances notice on their next reload.
import { sealHeaders } from "../auth/header_sealing";
import type { InStatement, Row } from "../db/client";
import { readAll } from "../db/read_page";
import type { AnswerBudget } from "../lib/answer_budget";
import type { Deps } from "../deps";
import { newId } from "../lib/new_id";
import { ConflictError, NotFoundError } from "../errors";
import { REQUEST_SETTING_NAMES } from "../targets/request_settings";
import { REQUEST_SETTINGS_COLUMNS, requestSettingsArgs, rowToRequestSettings } from "../targets/request_settings_row";
import { newSecretStatement } from "../targets/secret_store";
import { parseSecret } from "../targets/signing_secret";
import { dropHeldStatement, HEALTH_COLUMNS, pauseChangeStatements, rowToHealth } from "../targets/target_health";
import { changedKeys, logConfigChange, reportEnabled, type ChangeDeps } from "../auth/config_changes";
import { cronTarget } from "../targets/target_key";
import type { CronJob, CronJobSpec } from "./cron_input";
import { assertSqlJobAllowed } from "./sql_job_check";

type StoreDeps = Pick<Deps, "db" | "clock" | "signals" | "sqlJobs" | "atRest"> & ChangeDeps;

/** SETTINGS are what a change log line may name as changed. */
const SETTINGS = ["name", "schedule", "timezone", "type", "sql", "url", ...REQUEST_SETTING_NAMES] as const;

const SELECT = `SELECT j.*, ${HEALTH_COLUMNS} FROM _cron_jobs AS j LEFT JOIN _target_health AS h ON h.target = 'cron:' || j.id`;
const SPEC_COLUMNS = ["name", "schedule", "timezone", "type", "sql", "database", "url", ...REQUEST_SETTINGS_COLUMNS];

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
    ...rowToHealth(row),
    created: String(row.created),
    updated: String(row.updated),
  };
}

function specArgs(j: CronJobSpec) {
  return [j.name, j.schedule, j.timezone, j.type, j.sql, j.database, j.url, ...requestSettingsArgs(j)];
}

/** listCronJobs answers every job, by name. */
export function listCronJobs({ db }: Pick<Deps, "db">, budget: AnswerBudget): Promise<CronJob[]> {
  return readAll(db, `${SELECT} ORDER BY j.name`, budget, rowToCronJob);
}

/** getCronJob answers the job with that name or throws NotFoundError. */
export async function getCronJob({ db }: Pick<Deps, "db">, name: string): Promise<CronJob> {
  const rs = await db.execute({ sql: `${SELECT} WHERE j.name = ?`, args: [name] });
  if (!rs.rows[0]) throw new NotFoundError(`cron job "${name}"`);
  return rowToCronJob(rs.rows[0]);
}

/** createCronJob stores a new job and its signing secret (the given one or a new one) and schedules it; a taken name is a ConflictError, SQL the job rules refuse a 400 naming sql. */
export async function createCronJob(deps: StoreDeps, given: CronJobSpec): Promise<CronJob> {
  const spec = { ...given, headers: sealHeaders(deps.atRest, given.headers) };
  if (spec.sql !== null) await assertSqlJobAllowed(deps.sqlJobs, spec.sql);
  const now = deps.clock.now().toISOString();
  const id = newId();
  const key = spec.secret === undefined ? undefined : parseSecret(spec.secret, "secret");
  await writeJobs(deps, spec.name, [
    {
      sql: `INSERT INTO _cron_jobs (${SPEC_COLUMNS.join(", ")}, id, created, updated) VALUES (${SPEC_COLUMNS.map(() => "?").join(", ")}, ?, ?, ?)`,
      args: [...specArgs(spec), id, now, now],
    },
    newSecretStatement(deps.atRest, cronTarget(id), key),
  ]);
  logConfigChange(deps, "cron job created", { cronJob: spec.name, type: spec.type, schedule: spec.schedule });
  return getCronJob(deps, spec.name);
}

/** updateCronJob replaces a job's definition (its SQL checked as on create); a rename carries its run history along; pausing holds its deliveries, `enable` (paused: false given) releases them. */
export async function updateCronJob(
  deps: StoreDeps,
  before: CronJob,
  given: CronJobSpec,
  enable = false,
): Promise<CronJob> {
  const spec = { ...given, headers: sealHeaders(deps.atRest, given.headers) };
  if (spec.sql !== null) await assertSqlJobAllowed(deps.sqlJobs, spec.sql);
  const now = deps.clock.now().toISOString();
  const target = cronTarget(before.id);
  const statements: InStatement[] = [
    {
      sql: `UPDATE _cron_jobs SET ${SPEC_COLUMNS.map((c) => `${c} = ?`).join(", ")}, updated = ? WHERE id = ?`,
      args: [...specArgs(spec), now, before.id],
    },
    { sql: "UPDATE _cron_runs SET job = ? WHERE job = ?", args: [spec.name, before.name] },
    ...pauseChangeStatements(target, now, before.paused, spec.paused, enable),
  ];
  if (spec.secret !== undefined)
    statements.push(newSecretStatement(deps.atRest, target, parseSecret(spec.secret, "secret")));
  await writeJobs(deps, spec.name, statements);
  const changed: string[] = changedKeys(before, spec, SETTINGS);
  if (spec.secret !== undefined) changed.push("secret");
  logConfigChange(deps, "cron job updated", { cronJob: spec.name, renamedFrom: before.name, changed });
  if (enable && before.disabledAt !== null) reportEnabled(deps, target, `cron/${spec.name}`);
  return getCronJob(deps, spec.name);
}

/** enableCronJob un-pauses a job, clears a disabled state and releases its held deliveries. */
export async function enableCronJob(deps: StoreDeps, name: string): Promise<CronJob> {
  const before = await getCronJob(deps, name);
  return updateCronJob(deps, before, { ...before, paused: false }, true);
}

/** deleteCronJob unschedules a job and forgets its run history; its delivery logs stay, held ones ended as failed. */
export async function deleteCronJob(deps: StoreDeps, name: string): Promise<CronJob> {
  const job = await getCronJob(deps, name);
  await writeJobs(deps, name, [
    { sql: "DELETE FROM _cron_jobs WHERE id = ?", args: [job.id] },
    { sql: "DELETE FROM _cron_runs WHERE job = ?", args: [job.name] },
    dropHeldStatement(cronTarget(job.id), deps.clock.now().toISOString()),
  ]);
  logConfigChange(deps, "cron job deleted", { cronJob: name });
  return job;
}

async function writeJobs(deps: StoreDeps, name: string, statements: InStatement[]): Promise<void> {
  try {
    await deps.db.batch(statements, "write");
  } catch (err) {
    if (/UNIQUE/i.test(String(err))) throw new ConflictError(`a cron job named "${name}" already exists`);
    throw err;
  }
  deps.signals.cronChanged.emit();
  deps.signals.catalogueChanged.emit();
}
