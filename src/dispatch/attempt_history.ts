// Writing the attempt history (SPEC §10): one _webhook_attempts row per attempt, in the same
// batch as the log rows the attempt recorder updates, so it costs one statement per flush,
// not one per attempt.
import type { InStatement } from "../db/client";
import { RESPONSE_BODY_LIMIT } from "./outbound_http";

/** AttemptFacts is what the history keeps of one attempt (the recorder's records carry these fields). */
export interface AttemptFacts {
  id: string;
  /** at is when the attempt started. */
  at: string;
  /** url is the URL the attempt used: the target's current one at the time. */
  url: string;
  http_status: number | null;
  error_msg: string | null;
  response_body: string | null;
  duration_ms: number;
}

// n continues from the delivery's last attempt (manual retries keep counting); row_number
// numbers two attempts of one delivery that land in the same flush. SQLite reads the SELECT
// in full before inserting, because it reads the table being written.
const INSERT_SQL = `
INSERT INTO _webhook_attempts (delivery_id, n, at, url, http_status, duration_ms, error_msg, response_body)
SELECT a.id, coalesce((SELECT max(w.n) FROM _webhook_attempts AS w WHERE w.delivery_id = a.id), 0) + a.k,
       a.at, a.url, a.http_status, a.duration_ms, a.error_msg, substr(a.response_body, 1, ${RESPONSE_BODY_LIMIT})
FROM (SELECT value ->> '$.id' AS id, row_number() OVER (PARTITION BY value ->> '$.id' ORDER BY key) AS k,
             value ->> '$.at' AS at, value ->> '$.url' AS url, value ->> '$.http_status' AS http_status,
             value ->> '$.duration_ms' AS duration_ms, value ->> '$.error_msg' AS error_msg, value ->> '$.response_body' AS response_body
      FROM json_each(:attempts)) AS a`;

/** attemptHistoryStatement inserts every attempt of `attemptsJson` (a JSON array of AttemptFacts) in one statement. */
export function attemptHistoryStatement(attemptsJson: string): InStatement {
  return { sql: INSERT_SQL, args: { attempts: attemptsJson } };
}
