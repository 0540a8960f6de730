// The delivery log: filters kept in the URL, live updates from the webhookLogUpdated
// subscription, the inspector, and bulk retry/cancel. The subscription leaves out the filters
// on what changes (status, HTTP status): a shown row must follow its delivery out of "failed".
import { api, describe } from "../api";
import { h, replace } from "../dom";
import { count } from "../format";
import { liveBadge, subscribe } from "../live";
import {
  describeFilter,
  filterFromParams,
  isEmptyFilter,
  liveFilter,
  LOG_LIVE_QUERY,
  logsQuery,
  matchesFilter,
  rowFromGraphQL,
  type GraphQLLog,
  type LogRow,
} from "../log_filters";
import { navigate } from "../router";
import { alert, empty, loading, pageHeader } from "../ui";
import type { Screen } from "../view";
import { openInspector, type Inspector } from "./inspector";
import { bulkActions } from "./log_bulk";
import { filterBar } from "./log_filter_bar";
import { logTable } from "./log_table";

const PER_PAGE = 50;
const RENDER_MS = 100;

/** logsScreen is the delivery log. */
export const logsScreen: Screen = {
  id: "logs",
  needs: "logs:read",
  title: "Delivery log",
  nav: "Deliveries",
  mount(initial) {
    let params = initial;
    let filter = filterFromParams(params);
    let page = Math.max(1, Number(params.get("page")) || 1);
    let rows: LogRow[] = [];
    let total = 0;
    let inspector: Inspector | null = null;
    let stopLive: () => void = () => {};

    const errors = h("div");
    const live = liveBadge();
    const filtersHost = h("div");
    const listHost = h("div", { class: "card table-card" }, loading());
    const pager = h("div", { class: "pager" });
    const drawerHost = h("div");
    const bulk = bulkActions(() => load());
    const el = h(
      "div",
      { class: "screen" },
      pageHeader(
        "Delivery log",
        "Every delivery and its attempts, newest first. Filters stay in the address, so a link opens the same view.",
        live.el,
        bulk.buttons,
      ),
      filtersHost,
      errors,
      listHost,
      pager,
      drawerHost,
    );

    const go = (next: Record<string, string | null | undefined>) =>
      navigate("logs", { ...filter, page: page > 1 ? String(page) : null, log: params.get("log"), ...next });
    const openLog = (id: string) => go({ log: id });

    function renderList(): void {
      const selected = params.get("log");
      if (rows.length === 0) {
        const next = isEmptyFilter(filter)
          ? "Deliveries appear here when a collection trigger fires, a webhook is triggered or an HTTP cron job runs."
          : "Nothing matches these filters. Clear or widen them.";
        replace(listHost, empty(isEmptyFilter(filter) ? "No deliveries yet" : "No matching deliveries", next));
      } else replace(listHost, logTable(rows, openLog, selected));
      const last = Math.max(1, Math.ceil(total / PER_PAGE));
      replace(
        pager,
        h(
          "span",
          { class: "muted" },
          total
            ? `${count((page - 1) * PER_PAGE + 1)}–${count((page - 1) * PER_PAGE + rows.length)} of ${count(total)}`
            : "",
        ),
        h(
          "div",
          { class: "actions" },
          h(
            "button",
            { class: "btn btn-secondary btn-sm", disabled: page <= 1, onclick: () => go({ page: String(page - 1) }) },
            "Newer",
          ),
          h(
            "button",
            {
              class: "btn btn-secondary btn-sm",
              disabled: page >= last,
              onclick: () => go({ page: String(page + 1) }),
            },
            "Older",
          ),
        ),
      );
      bulk.follow(filter);
    }

    async function load(): Promise<void> {
      try {
        const res = await api<{ items: LogRow[]; totalItems: number }>(
          "GET",
          `/api/webhooks/logs?${logsQuery(filter, page, PER_PAGE)}`,
        );
        rows = res.items;
        total = res.totalItems;
        replace(errors);
        renderList();
      } catch (err) {
        replace(listHost, alert("error", describe(err, "load the delivery log")));
      }
    }

    // A busy log can change hundreds of rows a second: changes are applied at once but drawn at
    // most every RENDER_MS, with the changed rows flashed.
    const changed = new Set<string>();
    let renderTimer: ReturnType<typeof setTimeout> | undefined;
    function renderSoon(id: string): void {
      changed.add(id);
      renderTimer ??= setTimeout(() => {
        renderTimer = undefined;
        renderList();
        for (const cid of changed) listHost.querySelector(`tr[data-id="${CSS.escape(cid)}"]`)?.classList.add("flash");
        changed.clear();
      }, RENDER_MS);
    }

    function onLiveRow(row: LogRow): void {
      const i = rows.findIndex((r) => r.id === row.id);
      // A retry's answer can arrive after the live events it caused: never go back in time.
      if (i >= 0 && rows[i]!.updated_at > row.updated_at) return;
      if (i >= 0) rows[i] = row;
      else if (page === 1 && matchesFilter(filter, row)) {
        rows.unshift(row);
        total++;
        if (rows.length > PER_PAGE) rows.pop();
      }
      if (rows.some((r) => r.id === row.id)) renderSoon(row.id);
    }

    let missed = false;
    function startLive(): void {
      stopLive();
      stopLive = subscribe<{ webhookLogUpdated: GraphQLLog }>(
        LOG_LIVE_QUERY,
        { filter: liveFilter(filter) },
        {
          next: (data) => onLiveRow(rowFromGraphQL(data.webhookLogUpdated)),
          state: (state, reason) => {
            // Back from offline: what changed meanwhile is read again.
            if (state === "live" && missed) void load();
            missed = state === "offline";
            live.set(state, reason);
          },
          unavailable: (reason) => live.set("unavailable", reason),
        },
      );
    }

    function syncInspector(): void {
      const id = params.get("log");
      if (inspector?.id === id) return;
      inspector?.destroy();
      inspector = id ? openInspector(id, () => go({ log: null }), onLiveRow) : null;
      replace(drawerHost, inspector?.el);
      for (const tr of listHost.querySelectorAll<HTMLElement>("tr.log-row"))
        tr.classList.toggle("selected", tr.dataset.id === id);
    }

    function apply(next: URLSearchParams, first: boolean): void {
      const nextFilter = filterFromParams(next);
      const nextPage = Math.max(1, Number(next.get("page")) || 1);
      const changed = first || describeFilter(nextFilter) !== describeFilter(filter) || nextPage !== page;
      const filterChanged = first || describeFilter(nextFilter) !== describeFilter(filter);
      params = next;
      filter = nextFilter;
      page = nextPage;
      if (filterChanged)
        replace(
          filtersHost,
          filterBar(filter, (f) => navigate("logs", { ...f, log: params.get("log") })),
        );
      if (changed) void load();
      if (filterChanged) startLive();
      syncInspector();
    }

    apply(params, true);
    return {
      el,
      update: (next) => apply(next, false),
      destroy: () => (stopLive(), inspector?.destroy(), clearTimeout(renderTimer)),
    };
  },
};
