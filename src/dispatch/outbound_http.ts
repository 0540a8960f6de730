// The one place hookd makes outbound HTTP requests. It owns the client settings (no
// redirects followed, no retries inside the client — the delivery engine retries), the
// per-attempt timeout, the outbound guard, and the 4 KiB cap on stored response bodies.
import { ofetch } from "ofetch";
import type { AttemptResult } from "./retry_policy";
import type { OutboundGuard } from "./outbound_guard";
import { pinToAddress, type PinnedRequest } from "./pinned_request";

/** RESPONSE_BODY_LIMIT is how much of a response body is kept in the log. */
export const RESPONSE_BODY_LIMIT = 4096;

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
  const timer = setTimeout(() => ((timedOut = true), abort.abort()), req.timeoutMs);
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

function statusMessage(status: number, headers: Headers): string | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400)
    return `HTTP ${status}: redirect to ${headers.get("location") ?? "(no Location)"} not followed`;
  return `HTTP ${status}`;
}

function networkMessage(err: unknown, timedOutAfter: number | null): string {
  if (timedOutAfter !== null) return `timed out after ${timedOutAfter} ms`;
  const e = err as {
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
    triedAddresses?: number;
  };
  const code = e.cause?.code ?? e.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `could not resolve host (${code})`;
  const every = e.triedAddresses && e.triedAddresses > 1 ? `; tried ${e.triedAddresses} addresses` : "";
  if (code === "ConnectionRefused" || code === "ECONNREFUSED") return `connection refused (ECONNREFUSED)${every}`;
  const message = e.cause?.message ?? e.message ?? String(err);
  return `network error: ${message}${code ? ` (${code})` : ""}${every}`;
}

// Most receivers answer a short body with its length: read it whole, skipping the stream
// machinery (which cost about as much CPU as the request itself); otherwise read up to the cap.
async function readBody(res: Response): Promise<string | null> {
  const length = res.headers.get("content-length");
  if (length !== null && Number(length) <= RESPONSE_BODY_LIMIT) return res.text();
  return readCapped(res.body);
}

async function readCapped(body: ReadableStream<Uint8Array> | null): Promise<string | null> {
  if (!body) return null;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < RESPONSE_BODY_LIMIT) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  // The rest of a large body is not wanted; cancelling frees the connection sooner.
  if (size >= RESPONSE_BODY_LIMIT) void reader.cancel().catch(() => {});
  const bytes = Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT);
  return new TextDecoder().decode(bytes);
}
