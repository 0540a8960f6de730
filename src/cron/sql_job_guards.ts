// hookd's own statements inside a SQL job's transaction, so that the database itself decides
// what a run did. The first fails the transaction if the schema changed since the job was
// checked (a name could then mean another table). The last ones close the run's row as a
// success, and fail the transaction if that row is no longer running (stopped through the
// API, or given up as abandoned by another instance): so a job's writes commit exactly when
// its run is recorded a success, and whoever looks at the row after the run knows.
import type { InStatement } from "../db/client";

// A failed JSON path is an error whose message carries the path: hookd's reason, recognisable.
const fail = (condition: string, reason: string) =>
  `json_extract('{}', CASE WHEN ${condition} THEN '$' ELSE 'hookd: ${reason}' END)`;

const SCHEMA_CHANGED = "the schema changed while the job was being checked";
const RUN_CLOSED = "the run was closed before the job committed";

/** schemaGuard is the job transaction's first statement: it fails if the schema version is not `version`. */
export function schemaGuard(version: number): InStatement {
  return { sql: `SELECT ${fail("schema_version = ?", SCHEMA_CHANGED)} FROM pragma_schema_version`, args: [version] };
}

/** completeRun closes the run's row as a success from inside the job's transaction; rowsChanged may be null, and the time it ended is written after, by hookd's clock (cron_runs.ts). */
export function completeRun(runId: string, rowsChanged: number | null): InStatement[] {
  return [
    {
      sql: `UPDATE _cron_runs SET status = 'success', rows_changed = ?, error = NULL, lease_expires_at = NULL
            WHERE id = ? AND status = 'running'`,
      args: [rowsChanged, runId],
    },
    `SELECT ${fail("changes() = 1", RUN_CLOSED)}`,
  ];
}

/** guardFailure answers which guard an error comes from, or null for any other error. */
export function guardFailure(err: unknown): "schema" | "closed" | null {
  const message = String((err as Error)?.message ?? err);
  if (message.includes(SCHEMA_CHANGED)) return "schema";
  if (message.includes(RUN_CLOSED)) return "closed";
  return null;
}
