// The one place hookd makes outbound HTTP requests. It owns the client settings (no
// redirects followed, no retries inside the client — the delivery engine retries), the
// per-attempt timeout, the outbound guard, and the 4 KiB cap on stored response bodies.
import { ofetch } from "ofetch";
import type { AttemptResult } from "./retry_policy";
import type { OutboundGuard } from "./outbound_guard";
import { pinToAddress, type PinnedRequest } from "./pinned_request";

/** RESPONSE_BODY_LIMIT is how much of a response body is kept in the log. */
export const RESPONSE_BODY_LIMIT = 4096;

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

function statusMessage(status: number, headers: Headers): string | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400)
    return `HTTP ${status}: redirect to ${headers.get("location") ?? "(no Location)"} not followed`;
  return `HTTP ${status}`;
}

const CERTIFICATE_REFUSED = "the receiver's TLS certificate was not accepted";

/** NETWORK_ERRORS are hookd's words for the failures the HTTP client reports by code. */
const NETWORK_ERRORS: Record<string, string> = {
  ENOTFOUND: "could not resolve host",
  EAI_AGAIN: "could not resolve host",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was closed before an answer came",
  EPIPE: "the connection was closed while the request was sent",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  EADDRNOTAVAIL: "no local address to connect from",
  EPROTO: "the TLS handshake failed (does the receiver speak TLS on this port?)",
  ERR_TLS_CERT_ALTNAME_INVALID: `${CERTIFICATE_REFUSED}: it does not name the host`,
  CERT_HAS_EXPIRED: `${CERTIFICATE_REFUSED}: it has expired`,
  DEPTH_ZERO_SELF_SIGNED_CERT: `${CERTIFICATE_REFUSED}: it is self-signed`,
  SELF_SIGNED_CERT_IN_CHAIN: `${CERTIFICATE_REFUSED}: its chain ends in a self-signed certificate`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `${CERTIFICATE_REFUSED}: no trusted issuer`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `${CERTIFICATE_REFUSED}: no trusted issuer`,
};

/** BUN_CODES are Bun's names for errors that have a usual code. */
const BUN_CODES: Record<string, string> = { ConnectionRefused: "ECONNREFUSED", ConnectionClosed: "ECONNRESET" };

// The client's own texts end in advice for its users ("pass `verbose: true` …"), not hookd's.
const CLIENT_ADVICE = /\s*(For more information, pass `verbose: true`|Is the computer able to access the url\?).*$/s;

function networkMessage(err: unknown, timedOutAfter: number | null): string {
  if (timedOutAfter !== null) return `timed out after ${timedOutAfter} ms`;
  const e = err as {
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
    triedAddresses?: number;
  };
  const raw = e.cause?.code ?? e.code;
  const code = raw === undefined ? undefined : (BUN_CODES[raw] ?? raw);
  const every = e.triedAddresses && e.triedAddresses > 1 ? `; tried ${e.triedAddresses} addresses` : "";
  const known = code === undefined ? undefined : NETWORK_ERRORS[code];
  if (known) return `${known} (${code})${every}`;
  const message = (e.cause?.message ?? e.message ?? String(err)).replace(CLIENT_ADVICE, "");
  return `network error: ${message}${code ? ` (${code})` : ""}${every}`;
}

// Most receivers answer a short body with its length: read it whole, skipping the stream
// machinery (which cost about as much CPU as the request itself); otherwise read up to the cap.
async function readBody(res: Response): Promise<string | null> {
  const length = res.headers.get("content-length");
  if (length !== null && Number(length) <= RESPONSE_BODY_LIMIT) return res.text().catch(() => null);
  return readCapped(res.body);
}

async function readCapped(body: ReadableStream<Uint8Array> | null): Promise<string | null> {
  if (!body) return null;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_BODY_LIMIT) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // Cut short (BODY_WAIT_MS passed, the connection closed): what arrived is what is kept.
  }
  // The rest of a large body is not wanted; cancelling frees the connection sooner.
  if (size >= RESPONSE_BODY_LIMIT) void reader.cancel().catch(() => {});
  const bytes = Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT);
  return new TextDecoder().decode(bytes);
}
