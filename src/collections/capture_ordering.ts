// What a trigger with an orderingKey adds to its capture INSERT: the key value stored on the
// delivery, and a next_attempt_at that parks it while an earlier delivery of the same trigger
// and key is unfinished (see migration 006 for how it is released).
import { earlierUnfinishedSql, WAITING_FOR_KEY } from "../deliveries/ordering";
import { quoteIdent, quoteLiteral } from "../lib/sql_text";
import type { Trigger } from "./collection_types";

/** KEY_CHARS bounds the stored key: values alike in their first KEY_CHARS characters share one order, which keeps order, only less parallel. */
const KEY_CHARS = 200;

/** CaptureOrdering is spliced into the capture INSERT: extra columns and values, an extra column of the `d` subquery, and the next_attempt_at. */
export interface CaptureOrdering {
  columns: string;
  values: string;
  from: string;
  due: string;
}

const UNORDERED: CaptureOrdering = { columns: "", values: "", from: "", due: "d.now" };

/** captureOrdering gives a trigger's ordering SQL; a missing key value counts as the empty string (one order for all of them). */
export function captureOrdering(t: Trigger, row: "NEW" | "OLD", target: string): CaptureOrdering {
  if (!t.orderingKey) return UNORDERED;
  return {
    columns: ", ordering_key",
    values: ", d.okey",
    from: `, substr(coalesce(CAST(${row}.${quoteIdent(t.orderingKey)} AS TEXT), ''), 1, ${KEY_CHARS}) AS okey`,
    due: `CASE WHEN ${earlierUnfinishedSql(quoteLiteral(target), "d.okey", null)} THEN '${WAITING_FOR_KEY}' ELSE d.now END`,
  };
}
