// The delivery policy as pure functions: what an attempt's result means, how long to wait
// before the next one, and how far a receiver's Retry-After is believed. No I/O here.

/** UNSCALED_BASE_MS is the HOOKD_RETRY_BASE_MS at which delays are as written; other values scale every delay by base / 2000. */
export const UNSCALED_BASE_MS = 2000;

/** MAX_RETRY_AFTER_MS is the longest a receiver's Retry-After may stretch a wait beyond the schedule. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** JITTER adds up to 10% to each delay so deliveries that failed together do not return together. */
export const JITTER = 0.1;

/** RetryPlan is how a target's deliveries are retried: the schedule in ms and the HOOKD_RETRY_BASE_MS scale. */
export interface RetryPlan {
  schedule: readonly number[];
  /** scale multiplies every delay (HOOKD_RETRY_BASE_MS / 2000; 1 by default). */
  scale: number;
}

/** attemptsAllowed is the number of attempts in all: retryLimit when set (above 0), else one more than the schedule lists. */
export function attemptsAllowed(retryLimit: number, schedule: readonly number[]): number {
  return retryLimit > 0 ? retryLimit : schedule.length + 1;
}

/**
 * retryDelayMs is the wait after the n-th failed attempt: the n-th entry of the schedule (the
 * last one again past its end, when retryLimit allows more attempts than it lists), scaled,
 * plus up to 10% jitter.
 */
export function retryDelayMs(failures: number, plan: RetryPlan, random: () => number = Math.random): number {
  const { schedule } = plan;
  if (schedule.length === 0) return 0;
  const written = schedule[Math.min(Math.max(failures, 1), schedule.length) - 1]!;
  return Math.round(written * plan.scale * (1 + JITTER * random()));
}

/** Outcome is what one attempt means: done, worth another try, or never going to work. */
export type Outcome = "success" | "retry" | "final";

/** AttemptResult is what sending one attempt produced, before any policy is applied. */
export interface AttemptResult {
  httpStatus: number | null;
  errorMsg: string | null;
  responseBody: string | null;
  durationMs: number;
  retryAfter: string | null;
  /** refused marks a request hookd would not send (outbound guard, bad URL): retrying cannot help. */
  refused: boolean;
  /** refusedAddress is set when this instance's own HOOKD_ALLOW_NETS refused the target's address: another instance may be allowed. */
  refusedAddress?: string;
}

/** attemptOutcome classifies a result: 2xx succeed; network errors, timeouts, 5xx, 408 and 429 retry; the rest is final. */
export function attemptOutcome(result: Pick<AttemptResult, "httpStatus" | "refused">): Outcome {
  if (result.refused) return "final";
  const status = result.httpStatus;
  if (status === null) return "retry";
  if (status >= 200 && status < 300) return "success";
  if (status >= 500 || status === 408 || status === 429) return "retry";
  return "final";
}

/** retryAfterMs reads a Retry-After header (seconds or an HTTP-date) as a wait from now; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  const text = header?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only the HTTP-date form is accepted as a date; Date.parse alone would take "5" or "2026".
  if (!/^[A-Za-z]{3},? /.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** NextState is where a delivery goes after an attempt. */
export interface NextState {
  status: "success" | "pending" | "failed";
  nextAttemptAt: Date;
}

/** NextStateInput is everything nextState needs to decide. */
export interface NextStateInput {
  outcome: Outcome;
  tries: number;
  /** retryLimit is the delivery's own cap on attempts; 0 when the schedule alone decides. */
  retryLimit: number;
  plan: RetryPlan;
  retryAfter: string | null;
  now: Date;
  random?: () => number;
}

/**
 * nextState decides success, another try or failure. A Retry-After is honoured within bounds:
 * it may lengthen the wait by up to one hour, but never shortens it below the schedule, so a
 * receiver cannot make hookd hammer it.
 */
export function nextState(input: NextStateInput): NextState {
  const { outcome, tries, now, plan } = input;
  if (outcome === "success") return { status: "success", nextAttemptAt: now };
  if (outcome === "final" || tries >= attemptsAllowed(input.retryLimit, plan.schedule))
    return { status: "failed", nextAttemptAt: now };
  const scheduled = retryDelayMs(tries, plan, input.random);
  const asked = retryAfterMs(input.retryAfter, now);
  const wait = asked === null ? scheduled : Math.max(scheduled, Math.min(asked, MAX_RETRY_AFTER_MS));
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + wait) };
}
