// The request body of a standalone webhook or HTTP cron job: the content types users may
// name, and how a body given as JSON is encoded for each.
import { z } from "zod";
import { deeperThan, MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from "../lib/json_depth";
import { storableTextProblem } from "../lib/text_rules";

const SHORT_TYPES = {
  json: "application/json",
  text: "text/plain; charset=utf-8",
  form: "application/x-www-form-urlencoded",
} as const;
const MIME_PATTERN = /^[a-z0-9][\w.+-]*\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\r\n]*"|[\w.+-]+))*$/i;

/** contentTypeField accepts "json", "text", "form" or a MIME type such as application/xml. */
export const contentTypeField = z
  .string({ error: 'must be "json", "text", "form" or a MIME type' })
  .refine(
    (s) => s in SHORT_TYPES || MIME_PATTERN.test(s),
    'must be "json", "text", "form" or a MIME type such as application/xml',
  );

/** bodyField accepts a string (sent as is) or any JSON value (encoded for the content type). */
export const bodyField = z
  .union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())], {
    error: "must be a string or a JSON value",
  })
  // A string body is stored as text, which SQLite would change; inside a JSON value it is escaped.
  .superRefine((b, ctx) => {
    const problem = typeof b === "string" ? storableTextProblem(b) : null;
    if (problem)
      ctx.addIssue({ code: "custom", message: `${problem}; send it inside a JSON value, where it is escaped` });
  })
  .refine((b) => !deeperThan(b, MAX_JSON_DEPTH), TOO_DEEP_MESSAGE);

/** contentTypeHeader turns a short content type name into the header value sent. */
export function contentTypeHeader(contentType: string): string {
  return SHORT_TYPES[contentType as keyof typeof SHORT_TYPES] ?? contentType;
}

/** isJsonType tells whether a content type says the body is JSON. */
export function isJsonType(contentType: string): boolean {
  return /^(json$|application\/([\w.+-]*\+)?json\b)/i.test(contentType);
}

/** bodyProblem says why a body cannot be sent with that content type, or answers null. */
export function bodyProblem(body: unknown, contentType: string): string | null {
  if (typeof body !== "string" || !isJsonType(contentType)) return null;
  try {
    JSON.parse(body);
    return null;
  } catch {
    return 'is a string but not valid JSON, and contentType is JSON; send a JSON value, or set contentType to "text"';
  }
}

/** encodeBody turns a body into the text sent: strings as they are, a form as key=value pairs, the rest as JSON. */
export function encodeBody(body: unknown, contentType: string): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return body;
  if (contentType === "form" && typeof body === "object" && !Array.isArray(body)) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) form.append(k, typeof v === "string" ? v : JSON.stringify(v));
    return form.toString();
  }
  return JSON.stringify(body);
}

/** sendsBody tells whether a request with this method may carry a body; fetch refuses one on GET and HEAD. */
export function sendsBody(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}
