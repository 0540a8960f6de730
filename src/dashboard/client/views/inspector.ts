// The inspector: one delivery's request (headers with secrets masked, body), every attempt
// with its response, retry, and a shortcut to fix the target it goes to.
import { api, describe } from "../api";
import { actionButton, button, toast } from "../controls";
import { h, replace } from "../dom";
import { ago, dateTime } from "../format";
import { liveFilter, LOG_LIVE_QUERY, type GraphQLLog, type LogFilter, type LogRow } from "../log_filters";
import { liveBadge, subscribe } from "../live";
import { singleFlight } from "../single_flight";
import { loadTargetOf } from "../request_preview";
import { editTriggerDialog } from "../trigger_form";
import { alert, badge, code, kv, loading } from "../ui";
import { targetName, loadAttempts, attemptItem, requestSection } from "./inspector_sections";
import { hrefFor } from "../router";

/** Inspector is the open drawer with its backdrop; destroy() stops following the delivery and gives focus back. */
export interface Inspector {
  el: HTMLElement;
  id: string;
  destroy(): void;
}

/** openInspector renders the drawer for a delivery and follows it live; `close` asks to close it, `changed` reports a retried row. */
export function openInspector(id: string, close: () => void, changed: (row: LogRow) => void): Inspector {
  const body = h("div", { class: "drawer-body" }, loading("Loading the delivery…"));
  const title = h("div", { class: "drawer-title" }, h("h2", null, "Delivery"), code(id, "muted"));
  const live = liveBadge();
  const drawer = h(
    "aside",
    {
      class: "drawer",
      role: "dialog",
      "aria-label": "Delivery inspector",
      "data-testid": "inspector",
      tabindex: -1,
    },
    h(
      "div",
      { class: "drawer-head" },
      title,
      h(
        "div",
        { class: "actions" },
        live.el,
        button("✕", close, { kind: "ghost", small: true, title: "Close the inspector" }),
      ),
    ),
    h("div", { class: "drawer-toasts", "aria-live": "polite" }),
    body,
  );
  const el = h("div", null, h("div", { class: "drawer-backdrop", onclick: close }), drawer);
  const errors = h("div");
  let stopLive: () => void = () => {};
  const refreshSoon = singleFlight(() => refresh());
  const follow = (row: LogRow) => {
    stopLive = subscribe<{ webhookLogUpdated: GraphQLLog }>(
      LOG_LIVE_QUERY,
      { filter: liveFilter(rowFilter(row)) },
      {
        next: (data) => data.webhookLogUpdated.id === id && refreshSoon(),
        state: (state, reason) => (state === "live" && followed && refreshSoon(), live.set(state, reason)),
        unavailable: (reason) => live.set("unavailable", reason),
      },
    );
  };
  let followed = false;

  const post = (action: string) => api<LogRow>("POST", `/api/webhooks/logs/${encodeURIComponent(id)}/${action}`);
  const refresh = async () => {
    try {
      const row = await api<LogRow>("GET", `/api/webhooks/logs/${encodeURIComponent(id)}`);
      if (!followed) (followed = true), follow(row);
      const [ref, attempts] = await Promise.all([loadTargetOf(row), loadAttempts(row)]);
      const finished = ["success", "failed", "cancelled"].includes(row.status);
      const act = (label: string, action: string, done: string, testid: string, kind: "primary" | "secondary") =>
        actionButton(
          label,
          `${label.toLowerCase()} the delivery`,
          async () => (changed(await post(action)), toast(done), await refresh()),
          errors,
          { kind, testid, needs: "logs:write" },
        );
      const actions = h(
        "div",
        { class: "actions" },
        row.status === "failed" || row.status === "cancelled"
          ? act("Retry", "retry", "Delivery re-queued", "retry-one", "primary")
          : null,
        finished ? act("Resend", "resend", "Delivery sent again", "resend-one", "secondary") : null,
        row.status === "pending" || row.status === "held"
          ? act("Cancel", "cancel", "Delivery cancelled", "cancel-one", "secondary")
          : null,
        ref.kind === "trigger" && ref.collection && ref.target
          ? button(
              "Edit trigger",
              () => editTriggerDialog(ref.collection!, ref.target, () => (toast("Trigger saved"), void refresh())),
              { testid: "edit-target", needs: "collections:write" },
            )
          : null,
        ref.kind !== "trigger"
          ? h(
              "a",
              { class: "btn btn-secondary", href: `#/${ref.kind === "webhook" ? "webhooks" : "cron"}` },
              `Open ${ref.kind === "webhook" ? "webhooks" : "cron jobs"}`,
            )
          : null,
      );
      replace(title, h("h2", null, targetName(row)), badge(row.status), code(id, "muted small"));
      replace(
        body,
        errors,
        actions,
        kv([
          [
            "Status",
            [
              badge(row.status),
              row.status === "pending" && row.tries > 0
                ? h("span", { class: "muted small" }, ` next attempt ${ago(row.next_attempt_at)}`)
                : null,
            ],
          ],
          [
            "Attempts",
            attempts.length > row.tries
              ? `${attempts.length} in all; ${row.tries} of ${row.retry_limit ?? "the schedule's"} since the last retry`
              : `${row.tries} of ${row.retry_limit ?? "the retry schedule's"}`,
          ],
          ["Created", `${dateTime(row.created_at)} (${ago(row.created_at)})`],
          [
            "Record",
            row.record_id && row.collection
              ? h(
                  "a",
                  {
                    href: hrefFor("records", { collection: row.collection, filter: `id = '${row.record_id}'` }),
                    title: "Open the record",
                  },
                  code(row.record_id),
                )
              : "—",
          ],
        ]),
        h(
          "section",
          { class: "inspector-section" },
          h("h3", null, `Attempts (${attempts.length})`),
          attempts.length
            ? h(
                "ol",
                { class: "attempts" },
                attempts.map((a, i) => attemptItem(a, ref.target?.url ?? row.url, i === attempts.length - 1)),
              )
            : h("p", { class: "muted" }, "Not attempted yet."),
        ),
        requestSection(row, ref),
      );
    } catch (err) {
      replace(body, alert("error", describe(err, "load the delivery")));
    }
  };
  void refresh();

  // WAI-ARIA dialog: focus moves into the drawer and back to where it was; Escape closes it
  // unless a dialog opened above it takes the key.
  const before = document.activeElement as HTMLElement | null;
  const onKey = (e: KeyboardEvent) => e.key === "Escape" && !document.querySelector(".backdrop") && close();
  document.addEventListener("keydown", onKey);
  requestAnimationFrame(() => drawer.focus());
  return {
    el,
    id,
    destroy() {
      stopLive();
      document.removeEventListener("keydown", onKey);
      const row = document.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"]`);
      (row ?? (before?.isConnected ? before : null))?.focus();
    },
  };
}

/** rowFilter is what stays true of this delivery, so its subscription carries little else. */
function rowFilter(row: LogRow): LogFilter {
  if (row.webhook) return { source: row.source, webhook: row.webhook };
  if (row.cron_job) return { source: row.source, cronJob: row.cron_job };
  return row.record_id
    ? { collection: row.collection ?? undefined, recordId: row.record_id }
    : { collection: row.collection ?? undefined };
}
