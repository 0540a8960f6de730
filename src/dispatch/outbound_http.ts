// The one place hookd makes outbound HTTP requests. It owns the client settings (no
// redirects followed, no retries inside the client — the delivery engine retries), the
// per-attempt timeout and the outbound guard; how an answer is read is outbound_answers.ts.
import { ofetch } from "ofetch";
import { networkMessage, readBody, statusMessage } from "./outbound_answers";
import type { OutboundGuard } from "./outbound_guard";
import type { AttemptResult } from "./retry_policy";
import { pinToAddress, type PinnedRequest } from "./pinned_request";

/** BODY_WAIT_MS is how long the body is read once the status is known (within the attempt's time limit). */
const BODY_WAIT_MS = 1_000;

/** OutboundRequest is one fully prepared HTTP request. */
export interface OutboundRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
}

/** sendRequest sends one attempt and describes what happened; it never throws. `stop` aborts it early (shutdown). */
export async function sendRequest(
  req: OutboundRequest,
  guard: OutboundGuard,
  stop: AbortSignal,
): Promise<AttemptResult> {
  const started = performance.now();
  const result = (fields: Partial<AttemptResult>): AttemptResult => ({
    httpStatus: null,
    errorMsg: null,
    responseBody: null,
    retryAfter: null,
    refused: false,
    durationMs: Math.round(performance.now() - started),
    ...fields,
  });
  let url: URL;
  try {
    url = new URL(req.url);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    return result({ errorMsg: `refused: "${req.url}" is not an absolute http:// or https:// URL`, refused: true });
  }
  // One controller per attempt, its timer and stop listener removed when the attempt ends:
  // AbortSignal.timeout/any would keep thousands of signals a second alive for timeoutMs.
  const abort = new AbortController();
  let timedOut = false;
  let timer = setTimeout(() => ((timedOut = true), abort.abort()), req.timeoutMs);
  const onStop = () => abort.abort();
  stop.addEventListener("abort", onStop);
  let sentTo = req.url;
  try {
    const checked = guard.cached(url.hostname) ?? (await guard.check(url.hostname));
    if (checked.refusal !== null)
      return result({ errorMsg: checked.refusal, refused: true, refusedAddress: checked.refusedAddress });
    // A name with several addresses: one that cannot be connected to (nothing was sent there) is
    // passed over for the next, all within the attempt's one time limit.
    let res: Response | undefined;
    for (let i = 0; !res; i++) {
      const pinned = pinToAddress(url, checked.addresses[i]!, req.headers);
      sentTo = pinned.url;
      try {
        res = await fetchPinned(pinned, req, abort.signal);
      } catch (err) {
        if (i + 1 === checked.addresses.length || !notConnected(err) || abort.signal.aborted)
          throw Object.assign(err as object, { triedAddresses: i + 1 });
      }
    }
    // The status decides the attempt; the body is only kept for the log. So it is read for at
    // most BODY_WAIT_MS more, and a body cut short (one that trickles, a reset) keeps the status.
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(), Math.min(BODY_WAIT_MS, req.timeoutMs - (performance.now() - started)));
    const responseBody = await readBody(res);
    const status = res.status;
    return result({
      httpStatus: status,
      responseBody,
      retryAfter: res.headers.get("retry-after"),
      errorMsg: statusMessage(status, res.headers),
    });
  } catch (err) {
    return result({ errorMsg: networkMessage(err, timedOut ? req.timeoutMs : null).replaceAll(sentTo, req.url) });
  } finally {
    clearTimeout(timer);
    stop.removeEventListener("abort", onStop);
  }
}

function fetchPinned(pinned: PinnedRequest, req: OutboundRequest, signal: AbortSignal): Promise<Response> {
  return ofetch.raw(pinned.url, {
    method: req.method,
    headers: pinned.headers,
    // Bun's fetch checks the certificate against serverName and sends it as SNI (ofetch passes it on).
    ...({ tls: pinned.tls } as object),
    body: req.body ?? undefined,
    redirect: "manual",
    retry: false,
    ignoreResponseError: true,
    responseType: "stream",
    // Our own signal (not ofetch's timeout) so the limit also covers reading the body.
    signal,
  });
}

/** NOT_CONNECTED are the errors of a connection that was never made: nothing of the request reached anyone. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ConnectionRefused", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

function notConnected(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return NOT_CONNECTED.has(e.cause?.code ?? e.code ?? "");
}
