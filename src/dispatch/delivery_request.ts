// Preparing the HTTP request of one attempt: the SPEC §3 headers, the custom headers, the
// Standard Webhooks signature over the exact body sent and, when asked for, a fresh JWT.
import type { Signer } from "../auth/jwt_signer";
import { VERSION } from "../version";
import { jwtSubject, type Delivery } from "../deliveries/delivery_row";
import type { OutboundRequest } from "./outbound_http";
import { signatureHeader } from "../lib/webhook_signature";

const USER_AGENT = `hookd/${VERSION}`;
const BODYLESS_METHODS = new Set(["GET", "HEAD"]);

/**
 * prepareRequest builds one attempt's request, signed with each of `signingKeys` (the newest
 * first; two during a rotation's grace period). Custom headers may replace Content-Type and
 * User-Agent, but not webhook-id, webhook-timestamp, webhook-signature or (with jwtEnabled)
 * Authorization: those are what receivers rely on to de-duplicate and verify.
 */
export async function prepareRequest(
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
