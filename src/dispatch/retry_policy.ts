// The delivery policy as pure functions: what an attempt's result means, how long to wait
// before the next one, and how far a receiver's Retry-After is believed. No I/O here.

/** MAX_RETRY_DELAY_MS caps both the backoff and a receiver's Retry-After. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/** JITTER adds up to 10% to each delay so deliveries that failed together do not return together. */
export const JITTER = 0.1;

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

/** retryDelayMs is the wait after the n-th failed attempt: base × 2^(n−1) plus jitter, capped at one hour. */
export function retryDelayMs(failures: number, baseMs: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 40);
  const delay = baseMs * 2 ** exponent * (1 + JITTER * random());
  return Math.min(Math.round(delay), MAX_RETRY_DELAY_MS);
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
  retryLimit: number;
  retryAfter: string | null;
  baseMs: number;
  now: Date;
  random?: () => number;
}

/**
 * nextState decides success, another try or failure. retryLimit counts attempts in all. A
 * Retry-After is honoured within bounds: it may lengthen the wait up to one hour, but never
 * shortens it below the backoff, so a receiver cannot make hookd hammer it.
 */
export function nextState(input: NextStateInput): NextState {
  const { outcome, tries, retryLimit, now } = input;
  if (outcome === "success") return { status: "success", nextAttemptAt: now };
  if (outcome === "final" || tries >= retryLimit) return { status: "failed", nextAttemptAt: now };
  const backoff = retryDelayMs(tries, input.baseMs, input.random);
  const asked = retryAfterMs(input.retryAfter, now);
  const wait = asked === null ? backoff : Math.max(backoff, Math.min(asked, MAX_RETRY_DELAY_MS));
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + wait) };
}
