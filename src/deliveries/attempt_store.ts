// The history of a delivery's attempts (docs/operating.md), oldest first: the earlier ones kept in
// _webhook_attempts and the latest in the log row itself, read together through the
// _webhook_attempt_history view (migration 009).
import type { Db, Row } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Signals } from "../runtime/signals";
import { readPage } from "../db/read_page";
import type { AnswerBudget } from "../lib/answer_budget";
import type { Page, PageRequest } from "../lib/page";
import { nullableText } from "../lib/column_values";
import { getLog } from "./log_store";

/** Attempt is one HTTP attempt of a delivery. */
export interface Attempt {
  n: number;
  at: string;
  url: string;
  httpStatus: number | null;
  durationMs: number | null;
  errorMsg: string | null;
  responseBody: string | null;
}

const int = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function rowToAttempt(r: Row): Attempt {
  return {
    n: Number(r.n),
    at: String(r.at),
    url: String(r.url),
    httpStatus: int(r.http_status),
    durationMs: int(r.duration_ms),
    errorMsg: nullableText(r.error_msg),
    responseBody: nullableText(r.response_body),
  };
}

/** listAttempts answers one page of a delivery's attempts, oldest first; an unknown delivery is a 404. */
export async function listAttempts(
  deps: { db: Db; clock: Clock; signals: Pick<Signals, "deliveriesQueued"> },
  deliveryId: string,
  req: PageRequest,
  budget: AnswerBudget,
): Promise<Page<Attempt>> {
  await getLog(deps, deliveryId);
  const query = {
    count: { sql: "SELECT count(*) AS n FROM _webhook_attempt_history WHERE delivery_id = ?", args: [deliveryId] },
    rows: (limit: number, offset: number) => ({
      sql: "SELECT * FROM _webhook_attempt_history WHERE delivery_id = ? ORDER BY n LIMIT ? OFFSET ?",
      args: [deliveryId, limit, offset],
    }),
  };
  return readPage(deps.db, query, req, budget, rowToAttempt);
}
