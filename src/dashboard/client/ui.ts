// Small building blocks every screen shares: headers, cards, badges, alerts, empty states.
import { h, type Child } from "./dom";

/** pageHeader is a screen's title, a line saying what it is for, and its actions. */
export function pageHeader(title: string, subtitle: string, ...actions: Child[]): HTMLElement {
  return h(
    "header",
    { class: "page-header" },
    h("div", null, h("h1", null, title), h("p", { class: "muted" }, subtitle)),
    h("div", { class: "actions" }, actions),
  );
}

/** table is a scrollable table with one header row and the given body rows. */
export function table(cls: string, headers: string[], rows: Child): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: `table ${cls}` },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          headers.map((x) => h("th", null, x)),
        ),
      ),
      h("tbody", null, rows),
    ),
  );
}

/** card is a bordered section with an optional title (text or element) and actions beside it. */
export function card(title: Child, body: Child, ...actions: Child[]): HTMLElement {
  const head = typeof title === "string" ? h("h2", null, title) : title;
  return h(
    "section",
    { class: "card" },
    head || actions.length
      ? h("div", { class: "card-head" }, head || h("span"), h("div", { class: "actions" }, actions))
      : null,
    body,
  );
}

const STATUS_KIND: Record<string, string> = {
  success: "ok",
  failed: "bad",
  pending: "warn",
  processing: "info",
  held: "muted",
  cancelled: "muted",
  active: "ok",
  paused: "warn",
  disabled: "bad",
  inactive: "muted",
  running: "info",
  skipped: "muted",
  failing: "bad",
  unsteady: "warn",
};

/** badge is a coloured label for a status word. */
export function badge(status: string, text = status): HTMLElement {
  return h("span", { class: `badge badge-${STATUS_KIND[status] ?? "muted"}`, "data-status": status }, text);
}

/** httpBadge colours an HTTP status by class (2xx green, 4xx/5xx red); none shows a dash. */
export function httpBadge(status: number | null | undefined): HTMLElement {
  if (status === null || status === undefined) return h("span", { class: "muted" }, "—");
  return h(
    "span",
    { class: `http ${status < 300 ? "http-ok" : status < 500 ? "http-4xx" : "http-5xx"}` },
    String(status),
  );
}

/** alert is a message box: "error" for failures, "info" for notes, "ok" for confirmations. */
export function alert(kind: "error" | "info" | "ok" | "warn", message: Child): HTMLElement {
  return h("div", { class: `alert alert-${kind}`, role: kind === "error" ? "alert" : "status" }, message);
}

/** empty is an empty state: what is missing and what to do next. */
export function empty(title: string, next: Child, ...actions: Child[]): HTMLElement {
  return h(
    "div",
    { class: "empty" },
    h("p", { class: "empty-title" }, title),
    h("p", { class: "muted" }, next),
    actions.length ? h("div", { class: "actions" }, actions) : null,
  );
}

/** loading is a placeholder while data arrives. */
export function loading(what = "Loading…"): HTMLElement {
  return h("div", { class: "loading muted" }, h("span", { class: "spinner" }), what);
}

/** field wraps a form control with its label and an optional hint. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h(
    "label",
    { class: "field" },
    h("span", { class: "field-label" }, label),
    control,
    hint ? h("span", { class: "field-hint muted" }, hint) : null,
  );
}

/** code renders monospace text (URLs, ids, schedules). */
export function code(text: string, cls = ""): HTMLElement {
  return h("code", { class: cls, title: text }, text);
}

/** kv is a list of label/value rows. */
export function kv(rows: [string, Child][]): HTMLElement {
  return h(
    "dl",
    { class: "kv" },
    rows.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
  );
}
