// The delivery log's rows: one line per delivery that opens the inspector when chosen.
import { h } from "../dom";
import { ago, dateTime, duration } from "../format";
import type { LogRow } from "../log_filters";
import { badge, httpBadge } from "../ui";

function target(row: LogRow): HTMLElement {
  if (row.source === "webhook") return h("span", null, h("span", { class: "source" }, "webhook"), row.webhook);
  if (row.source === "cron") return h("span", null, h("span", { class: "source" }, "cron"), row.cron_job);
  return h("span", null, h("span", { class: "source" }, row.action ?? "trigger"), row.collection);
}

/** logRow renders one delivery; `open` shows it in the inspector. */
export function logRow(row: LogRow, open: (id: string) => void, selected: boolean): HTMLTableRowElement {
  const tr = h(
    "tr",
    {
      class: `log-row${selected ? " selected" : ""}`,
      "data-id": row.id,
      "data-status": row.status,
      tabindex: 0,
      onclick: () => open(row.id),
      onkeydown: (e: KeyboardEvent) => e.key === "Enter" && open(row.id),
    },
    h("td", { class: "col-status" }, badge(row.status)),
    h("td", { class: "col-time", title: dateTime(row.created_at) }, ago(row.created_at)),
    h("td", { class: "col-target" }, target(row)),
    h(
      "td",
      { class: "col-url" },
      h("span", { class: "method" }, row.method),
      h("span", { class: "truncate url", title: row.url }, row.url),
    ),
    h("td", { class: "col-http" }, httpBadge(row.http_status)),
    h("td", { class: "col-tries" }, row.retry_limit === null ? String(row.tries) : `${row.tries}/${row.retry_limit}`),
    h("td", { class: "col-duration" }, duration(row.duration_ms)),
  );
  return tr;
}

/** logTable renders the table head and the rows. */
export function logTable(rows: LogRow[], open: (id: string) => void, selectedId: string | null): HTMLTableElement {
  return h(
    "table",
    { class: "table log-table" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        ["Status", "Created", "Target", "Request", "HTTP", "Tries", "Time"].map((c, i) =>
          h(
            "th",
            { class: ["col-status", "col-time", "col-target", "col-url", "col-http", "col-tries", "col-duration"][i] },
            c,
          ),
        ),
      ),
    ),
    h(
      "tbody",
      null,
      rows.map((r) => logRow(r, open, r.id === selectedId)),
    ),
  );
}
