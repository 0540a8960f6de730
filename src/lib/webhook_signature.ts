// Standard Webhooks signatures: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>.
// Pure, so it is tested against the standardwebhooks library without any I/O.
import { createHmac } from "node:crypto";

/** signPayload is one v1 signature of the exact body bytes sent (empty for no body). */
export function signPayload(key: Uint8Array, id: string, timestamp: number, body: string | null): string {
  const mac = createHmac("sha256", key)
    .update(`${id}.${timestamp}.`)
    .update(body ?? "")
    .digest("base64");
  return `v1,${mac}`;
}

/** signatureHeader is the webhook-signature value: one signature per key, space-separated, the first key first. */
export function signatureHeader(keys: Uint8Array[], id: string, timestamp: number, body: string | null): string {
  return keys.map((k) => signPayload(k, id, timestamp, body)).join(" ");
}
