// The prepare step of an attempt: sealed header values opened, the target's transform
// (targets/transform_step.ts), then the webhook headers (docs/delivery.md), the custom
// headers, the Standard Webhooks signature over the exact body sent and, when asked for, a
// fresh JWT.
import type { AtRest } from "../auth/at_rest";
import { openHeaders } from "../auth/header_sealing";
import type { Signer } from "../auth/jwt_signer";
import { VERSION } from "../version";
import { jwtSubject, type Delivery } from "../deliveries/delivery_row";
import type { Clock } from "../runtime/clock";
import type { Resolved } from "../targets/target_cache";
import { TransformError } from "../targets/transform";
import { transformDelivery } from "../targets/transform_step";
import type { OutboundRequest } from "./outbound_http";
import type { AttemptResult } from "./retry_policy";
import { signatureHeader } from "../lib/webhook_signature";

const USER_AGENT = `hookd/${VERSION}`;
const BODYLESS_METHODS = new Set(["GET", "HEAD"]);

/** prepareAttempt builds the request of a resolved delivery's attempt; it throws when the transform fails or the request cannot be prepared (see notPrepared). */
export async function prepareAttempt(
  d: Resolved<Delivery>,
  atRest: AtRest,
  signer: Signer,
  clock: Clock,
): Promise<OutboundRequest> {
  // Header values stored sealed (HOOKD_ENCRYPTION_KEY) are opened for this attempt only.
  const headers = openHeaders(atRest, d.headers);
  const opened = headers === d.headers ? d : { ...d, headers };
  const shaped = d.control?.transform ? await transformDelivery(opened, d.control.transform) : opened;
  return prepareRequest(shaped, signer, clock.now());
}

/**
 * notPrepared is the result of an attempt whose transform or preparing threw (a failed
 * expression, a URL hookd cannot sign for): refused, as neither will change on a retry.
 */
export function notPrepared(err: unknown): AttemptResult {
  const what = err instanceof TransformError ? "the transform failed" : "could not prepare the request";
  return {
    httpStatus: null,
    errorMsg: `${what}: ${(err as Error).message}`,
    responseBody: null,
    durationMs: 0,
    retryAfter: null,
    refused: true,
  };
}

/**
 * prepareRequest builds one attempt's request, signed with each of `signingKeys` (the newest
 * first; two during a rotation's grace period). Custom headers may replace Content-Type and
 * User-Agent, but not webhook-id, webhook-timestamp, webhook-signature or (with jwtEnabled)
 * Authorization: those are what receivers rely on to de-duplicate and verify.
 */
async function prepareRequest(
  d: Delivery & { signingKeys?: Uint8Array[] },
  signer: Signer,
  now: Date,
): Promise<OutboundRequest> {
  const headers: Record<string, string> = { "content-type": d.contentType, "user-agent": USER_AGENT };
  for (const [name, value] of Object.entries(d.headers)) headers[name.toLowerCase()] = value;
  headers["webhook-id"] = d.id;
  const timestamp = Math.floor(now.getTime() / 1000);
  headers["webhook-timestamp"] = String(timestamp);
  if (d.jwtEnabled) {
    const token = await signer.sign({ sub: jwtSubject(d), aud: new URL(d.url).origin, jti: crypto.randomUUID() });
    headers.authorization = `Bearer ${token}`;
  }
  const body = BODYLESS_METHODS.has(d.method) ? null : d.payload;
  if (body === null) delete headers["content-type"];
  if (d.signingKeys?.length) headers["webhook-signature"] = signatureHeader(d.signingKeys, d.id, timestamp, body);
  return { url: d.url, method: d.method, headers, body, timeoutMs: d.timeoutMs };
}
