// The inspector's read-only parts: what a delivery goes to, each attempt with its response,
// and the request as the next attempt sends it.
import { api } from "../api";
import type { Attempt, Page } from "../api_types";
import { h } from "../dom";
import { dateTime, duration, prettyBody } from "../format";
import type { LogRow } from "../log_filters";
import { requestHeaders, type TargetRef } from "../request_preview";
import { code, httpBadge } from "../ui";

export function targetName(row: LogRow): string {
  if (row.source === "webhook") return `webhook ${row.webhook}`;
  if (row.source === "cron") return `cron job ${row.cron_job}`;
  return `${row.collection} · ${row.action} trigger`;
}

/** loadAttempts reads every attempt of the delivery, oldest first (the latest included). */
export async function loadAttempts(row: LogRow): Promise<Attempt[]> {
  const page = await api<Page<Attempt>>("GET", `/api/webhooks/logs/${encodeURIComponent(row.id)}/attempts?perPage=100`);
  return page.items;
}

export function attemptItem(a: Attempt, requestUrl: string, latest: boolean): HTMLElement {
  const ok = a.httpStatus !== null && a.httpStatus < 300 && !a.errorMsg;
  return h(
    "li",
    { class: `attempt ${ok ? "attempt-ok" : "attempt-bad"}`, "data-testid": "attempt" },
    h(
      "div",
      { class: "attempt-head" },
      h("strong", null, `#${a.n}`),
      httpBadge(a.httpStatus),
      h("span", { class: "muted" }, dateTime(a.at)),
      h("span", { class: "muted" }, duration(a.durationMs)),
    ),
    a.url !== requestUrl ? h("div", { class: "small" }, "sent to ", code(a.url)) : null,
    a.errorMsg && a.errorMsg !== `HTTP ${a.httpStatus}` ? h("div", { class: "attempt-error" }, a.errorMsg) : null,
    a.responseBody
      ? h(
          "details",
          { open: latest },
          h("summary", null, "Response"),
          h("pre", { class: "pre" }, prettyBody(a.responseBody)),
        )
      : h("div", { class: "muted small" }, "No response body."),
  );
}

export function requestSection(row: LogRow, ref: TargetRef): HTMLElement {
  const lines = requestHeaders(row, ref.target);
  const url = ref.target?.url ?? row.url;
  return h(
    "section",
    { class: "inspector-section" },
    h("h3", null, "Request"),
    h(
      "p",
      { class: "muted small" },
      "As the next attempt sends it: every attempt, retries included, uses the target's current URL, method and headers.",
    ),
    h(
      "div",
      { class: "request-line" },
      h("span", { class: "method" }, ref.target?.method ?? row.method),
      code(url, "url"),
    ),
    ref.target
      ? null
      : h("p", { class: "muted small" }, "The target was deleted; the delivery uses what was stored with it."),
    h(
      "table",
      { class: "headers" },
      h(
        "tbody",
        null,
        lines.map((l) =>
          h(
            "tr",
            { class: `header-${l.kind}` },
            h("th", null, l.name),
            h("td", null, l.value, l.kind === "masked" ? h("span", { class: "tag" }, "masked") : null),
          ),
        ),
      ),
    ),
    h(
      "details",
      { open: true },
      h("summary", null, "Body"),
      row.payload
        ? h("pre", { class: "pre", "data-testid": "request-body" }, prettyBody(row.payload))
        : h("p", { class: "muted small" }, "No body."),
    ),
  );
}
