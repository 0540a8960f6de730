// Overview: deliveries over the chosen range (1 h, 24 h, 7 d; in the URL), the queue, and
// targets that need attention, failures later retried included.
import type { DeliveryStats } from "../../../deliveries/log_stats";
import { api, describe } from "../api";
import { deliveryChart } from "../chart";
import { RANGES, rangeSeries, type Range, type Series } from "../chart_data";
import { h, replace } from "../dom";
import { ago, count, span } from "../format";
import { hrefFor, navigate } from "../router";
import { loadTargets, targetState, type Target } from "../targets";
import { alert, badge, card, empty, loading, pageHeader } from "../ui";
import type { Screen } from "../view";
import { subscribe } from "../live";
import { LOG_LIVE_QUERY } from "../log_filters";
import { coalesced } from "../single_flight";

const REFRESH_MS = 30_000;
const LIVE_REFRESH_MS = 3000;

function stat(label: string, value: string, hint: string, kind = "", link?: string): HTMLElement {
  const body = [
    h("span", { class: "stat-label" }, label),
    h("span", { class: `stat-value ${kind}` }, value),
    h("span", { class: "stat-hint muted" }, hint),
  ];
  return link ? h("a", { class: "stat", href: link }, body) : h("div", { class: "stat" }, body);
}

function statsRow(stats: DeliveryStats, series: Series, range: Range): HTMLElement {
  const finished = series.totalSuccess + series.totalFailed;
  const firstTry = series.totalSuccess - series.totalRecovered;
  const rate = finished
    ? `${((firstTry / finished) * 100).toFixed(1)} % of ${count(finished)} finished at the first try`
    : "none finished";
  const troubled = series.totalFailed + series.totalRecovered;
  const backlog = stats.oldestDueAt ? span(Date.parse(stats.until) - Date.parse(stats.oldestDueAt)) : "none";
  const since = new Date(Date.parse(stats.until) - range.hours * 3_600_000).toISOString();
  return h(
    "div",
    { class: "stats", "data-testid": "stats" },
    stat(
      `Delivered · ${range.label}`,
      count(series.totalSuccess),
      rate,
      "ok",
      hrefFor("logs", { status: "success", since }),
    ),
    stat(
      `Had a failed attempt · ${range.label}`,
      count(troubled),
      `${count(series.totalFailed)} still failed, ${count(series.totalRecovered)} delivered on a later try`,
      series.totalFailed ? "bad" : troubled ? "warn" : "",
      hrefFor("logs", { status: "failed", since }),
    ),
    stat(
      "Queued",
      count(stats.queued.pending + stats.queued.processing),
      `${count(stats.queued.processing)} in flight`,
      "",
      hrefFor("logs", { status: "pending" }),
    ),
    stat(
      "Held",
      count(stats.queued.held),
      "behind paused or disabled targets",
      stats.queued.held ? "warn" : "",
      hrefFor("logs", { status: "held" }),
    ),
    stat("Backlog", backlog, "age of the oldest due delivery", stats.oldestDueAt ? "warn" : ""),
  );
}

function attention(targets: Target[]): HTMLElement {
  if (targets.length === 0)
    return empty(
      "No targets yet",
      "Add a trigger to a collection, or create a standalone webhook or an HTTP cron job.",
      h("a", { class: "btn btn-secondary btn-sm", href: "#/collections" }, "Go to collections"),
    );
  const troubled = targets.filter((t) => targetState(t) !== "active" && targetState(t) !== "inactive");
  if (troubled.length === 0)
    return empty(
      "All targets healthy",
      `${targets.length} target${targets.length === 1 ? "" : "s"}, none failing, paused or disabled, and no delivery failed in the last 24 h.`,
    );
  return h(
    "ul",
    { class: "target-list" },
    troubled.map((t) => {
      const state = targetState(t);
      const why =
        state === "disabled"
          ? (t.health?.disabledReason ?? "disabled")
          : state === "paused"
            ? "paused: deliveries are held"
            : state === "failing"
              ? `${t.health?.consecutiveFailures} failed in a row since ${ago(t.health?.failingSince)}`
              : `${count(t.recentFailures)} failed in the last 24 h; the latest delivery succeeded`;
      return h(
        "li",
        null,
        badge(state),
        h(
          "div",
          { class: "target-main" },
          h("a", { href: hrefFor(t.screen) }, t.label),
          h("span", { class: "muted small truncate" }, t.url),
        ),
        h("span", { class: "muted small" }, why),
        h("a", { class: "btn btn-ghost btn-sm", href: hrefFor("logs", t.logFilter) }, "Deliveries"),
      );
    }),
  );
}

/** overviewScreen is the landing screen. */
export const overviewScreen: Screen = {
  id: "overview",
  needs: "logs:read",
  title: "Overview",
  mount(initial) {
    const rangeOf = (p: URLSearchParams) => RANGES.find((r) => r.id === p.get("range")) ?? RANGES[1]!;
    let range = rangeOf(initial);
    const statsHost = h("div", null, loading());
    const chartHost = h("div", null, loading());
    const targetsHost = h("div", null, loading());
    const picker = h(
      "div",
      { class: "segmented", role: "group", "aria-label": "Chart range" },
      RANGES.map((r) =>
        h(
          "button",
          { type: "button", "data-range": r.id, onclick: () => navigate("overview", { range: r.id }, true) },
          r.label,
        ),
      ),
    );
    const chartTitle = h("h2");
    const el = h(
      "div",
      { class: "screen" },
      pageHeader("Overview", "Deliveries by outcome, the queue, and targets that need attention.", picker),
      statsHost,
      card(chartTitle, chartHost),
      card("Targets needing attention", targetsHost),
    );
    const refresh = async () => {
      for (const b of picker.querySelectorAll("button"))
        b.setAttribute("aria-pressed", String(b.dataset.range === range.id));
      replace(
        chartTitle,
        `Deliveries per ${range.bucketMinutes === 1 ? "minute" : range.bucketMinutes === 60 ? "hour" : `${range.bucketMinutes} minutes`} · last ${range.label}`,
      );
      const shown = range;
      await Promise.all([
        api<DeliveryStats>("GET", `/api/stats/deliveries?hours=${shown.hours}`).then(
          (stats) => {
            if (shown !== range) return;
            const series = rangeSeries(stats.minutes, stats.until, shown);
            replace(statsHost, statsRow(stats, series, shown));
            replace(chartHost, deliveryChart(series));
          },
          (err) => (replace(statsHost, alert("error", describe(err, "load delivery statistics"))), replace(chartHost)),
        ),
        loadTargets().then(
          (t) => replace(targetsHost, attention(t)),
          (err) => replace(targetsHost, alert("error", describe(err, "load targets"))),
        ),
      ]);
    };
    void refresh();
    // Finished deliveries change the counts: refreshed at most every LIVE_REFRESH_MS while they
    // come; the timer still moves the backlog's age on a quiet server.
    const timer = setInterval(refresh, REFRESH_MS);
    const refreshSoon = coalesced(() => void refresh(), LIVE_REFRESH_MS);
    const stop = subscribe(LOG_LIVE_QUERY, {}, { next: refreshSoon, state: () => {}, unavailable: () => {} });
    return {
      el,
      update: (params) => ((range = rangeOf(params)), void refresh()),
      destroy: () => (clearInterval(timer), stop(), refreshSoon.cancel()),
    };
  },
};
