// Reading what came back from a receiver for the delivery log: the status as an error message,
// at most 4 KiB of the body, and a failure without an answer in hookd's words, not the HTTP
// client's.

/** RESPONSE_BODY_LIMIT is how much of a response body is kept in the log. */
export const RESPONSE_BODY_LIMIT = 4096;

/** statusMessage is an answer's error message: none for a 2xx; a redirect names where it pointed. */
export function statusMessage(status: number, headers: Headers): string | null {
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

/** networkMessage describes a request that got no answer in hookd's words; timedOutAfter is the limit it ran out of, if it did. */
export function networkMessage(err: unknown, timedOutAfter: number | null): string {
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
export async function readBody(res: Response): Promise<string | null> {
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
