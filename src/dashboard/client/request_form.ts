// The request settings webhooks and HTTP cron jobs share (method, headers, body, retries,
// throttling, transform), as form controls and read back for the API.
import type { Webhook } from "./api_types";
import { h } from "./dom";
import { checkbox, type FormReader, input, parseJsonObject, select, textarea } from "./forms";
import { maskedHeadersText, unmaskHeaders } from "./mask";
import { field } from "./ui";

/** RequestValues are the settings as a stored webhook or cron job holds them. */
export type RequestValues = Partial<
  Pick<
    Webhook,
    | "method"
    | "headers"
    | "body"
    | "contentType"
    | "retryLimit"
    | "retrySchedule"
    | "rateLimit"
    | "maxInFlight"
    | "timeoutMs"
    | "transform"
    | "jwtEnabled"
  >
>;

/** requestFields are the controls, filled from `t`. */
export function requestFields(t: RequestValues): HTMLElement[] {
  return [
    field("Method", select("method", ["POST", "PUT", "PATCH", "GET", "DELETE"], t.method ?? "POST")),
    field(
      "Body type",
      select("contentType", [...new Set(["json", "text", "form", t.contentType ?? "json"])], t.contentType ?? "json"),
    ),
    h(
      "div",
      { class: "span-2" },
      field("Body", textarea("body", t.body, 3), "Sent with each request; empty sends none."),
    ),
    h(
      "div",
      { class: "span-2" },
      field(
        "Headers (JSON)",
        textarea("headers", maskedHeadersText(t.headers ?? {})),
        "Secret values are masked; leave them as they are to keep them.",
      ),
    ),
    h(
      "div",
      { class: "span-2" },
      field("Transform (JSONata)", textarea("transform", t.transform, 2), "Empty: sent as is."),
    ),
    field("Retry schedule", input("retrySchedule", t.retrySchedule?.join(", "), { placeholder: "server default" })),
    field("Attempts in all", input("retryLimit", t.retryLimit, { type: "number", min: 1, max: 100 })),
    field("Rate limit (per second)", input("rateLimit", t.rateLimit, { type: "number", min: 0.01, step: "any" })),
    field("Max in flight", input("maxInFlight", t.maxInFlight, { type: "number", min: 1 })),
    field("Timeout (ms)", input("timeoutMs", t.timeoutMs ?? 15000, { type: "number", min: 1 })),
    h("div", { class: "checks" }, checkbox("jwtEnabled", "Send a signed JWT", t.jwtEnabled === true)),
  ];
}

/** readRequest reads the settings back; masked header values left unchanged keep the stored ones. */
export function readRequest(f: FormReader, stored: RequestValues): RequestValues {
  return {
    method: f.text("method"),
    contentType: f.text("contentType") as RequestValues["contentType"],
    body: f.optional("body"),
    headers: unmaskHeaders(
      parseJsonObject<Record<string, string>>(f.text("headers"), "the headers"),
      stored.headers ?? {},
    ),
    transform: f.optional("transform"),
    retrySchedule: f.list("retrySchedule"),
    retryLimit: f.number("retryLimit"),
    rateLimit: f.number("rateLimit"),
    maxInFlight: f.number("maxInFlight"),
    timeoutMs: f.number("timeoutMs") ?? undefined,
    jwtEnabled: f.checked("jwtEnabled"),
  };
}
