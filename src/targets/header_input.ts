// The headers a trigger, webhook or HTTP cron job may carry, validated one way for all three:
// valid names, values hookd can send as they are, and none that hookd or the HTTP client sets.
import { z } from "zod";
import { HEADER_NAME, isSendableHeaderValue } from "../lib/text_rules";

const CONNECTION_HEADER = "belongs to the connection, which the HTTP client manages";

/**
 * UNSENDABLE_HEADERS are the headers (by lower-case name) a request cannot carry as a target
 * gives them: hookd sets them for every attempt (the Standard Webhooks ones), the HTTP client
 * computes or drops them (Content-Length became the body's length; Transfer-Encoding was not
 * sent), or they describe the connection rather than the request (RFC 9110 §7.6.1). Stored,
 * they would have been silently replaced or dropped. Host is sent as given, so it is allowed.
 */
const UNSENDABLE_HEADERS: Record<string, string> = {
  "content-length": "is the body's length, computed for each attempt",
  "transfer-encoding": "is chosen by the HTTP client (bodies are sent with their length)",
  connection: CONNECTION_HEADER,
  "keep-alive": CONNECTION_HEADER,
  "proxy-connection": CONNECTION_HEADER,
  te: CONNECTION_HEADER,
  trailer: "announces trailers, and hookd sends none",
  upgrade: CONNECTION_HEADER,
  "webhook-id": "is set by hookd: the delivery id, the same on every attempt",
  "webhook-timestamp": "is set by hookd for each attempt",
  "webhook-signature": "is set by hookd: the Standard Webhooks signature of each attempt",
};

/**
 * headersField accepts an object of string values with valid header names. A value hookd
 * could not send as is (non-ASCII, NUL, line breaks, other control characters) is refused
 * here: accepted, it would fail every attempt. So is a header hookd cannot send as given
 * (UNSENDABLE_HEADERS), named as `headers.<Name>`.
 */
export const headersField = z
  .record(
    z.string().regex(HEADER_NAME, "is not a valid header name (letters, digits and !#$%&'*+.^_`|~-)"),
    z
      .string({ error: "header values must be strings" })
      .refine(
        isSendableHeaderValue,
        "header values must be printable ASCII (no line breaks, NUL, other control characters or non-ASCII letters) with no leading or trailing space",
      ),
  )
  .superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      const why = UNSENDABLE_HEADERS[name.toLowerCase()];
      if (why) ctx.addIssue({ code: "custom", path: [name], message: `cannot be set: ${name} ${why}` });
    }
  });

/** refuseAuthorizationUnderJwt names headers.Authorization when jwtEnabled would replace it with the JWT's. */
export function refuseAuthorizationUnderJwt(
  target: { jwtEnabled?: boolean; headers?: Record<string, string> },
  ctx: z.RefinementCtx,
): void {
  if (!target.jwtEnabled) return;
  for (const name of Object.keys(target.headers ?? {}))
    if (name.toLowerCase() === "authorization")
      ctx.addIssue({
        code: "custom",
        path: ["headers", name],
        message: `cannot be set: ${name} is replaced by the JWT while jwtEnabled is true`,
      });
}
