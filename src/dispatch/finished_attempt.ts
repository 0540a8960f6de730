// The record step's decision: where a delivery goes after an attempt (retry_policy.ts, over its
// target's schedule or HOOKD_RETRY_SCHEDULE) and the row that records it
// (deliveries/record_statement.ts, written by attempt_recorder.ts).
import type { Delivery } from "../deliveries/delivery_row";
import type { AttemptRecord } from "../deliveries/record_statement";
import type { Resolved } from "../targets/target_cache";
import {
  attemptOutcome,
  nextState,
  type AttemptResult,
  type NextState,
  type Outcome,
  type RetryPlan,
} from "./retry_policy";

/** FinishedAttempt is what one attempt means for its delivery, and the row to write. */
export interface FinishedAttempt {
  outcome: Outcome;
  next: NextState;
  /** tries counts this attempt. */
  tries: number;
  record: AttemptRecord;
}

/** finishAttempt decides a sent (or refused) attempt's next state; `plan` is the default schedule and the HOOKD_RETRY_BASE_MS scale. */
export function finishAttempt(
  d: Resolved<Delivery>,
  result: AttemptResult,
  plan: RetryPlan,
  now: Date,
): FinishedAttempt {
  const tries = d.tries + 1;
  const outcome = attemptOutcome(result);
  const next = nextState({
    outcome,
    tries,
    retryLimit: d.retryLimit,
    plan: { schedule: d.retrySchedule ?? plan.schedule, scale: plan.scale },
    retryAfter: result.retryAfter,
    now,
  });
  const record: AttemptRecord = {
    id: d.id,
    target: d.target,
    url: d.url,
    hold: d.paused,
    status: next.status,
    http_status: result.httpStatus,
    error_msg: result.errorMsg,
    response_body: result.responseBody,
    duration_ms: result.durationMs,
    tries,
    next_attempt_at: next.nextAttemptAt.toISOString(),
    updated_at: now.toISOString(),
    last_attempt_at: new Date(now.getTime() - result.durationMs).toISOString(),
  };
  return { outcome, next, tries, record };
}
