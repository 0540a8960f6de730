// Overview: deliveries per minute over 24 hours, the queue, and targets that need attention.
import { api, describe } from "../api";
import { deliveryChart } from "../chart";
import { minuteSeries, type MinuteCount } from "../chart_data";
import { h, replace } from "../dom";
import { ago, count, span } from "../format";
import { hrefFor } from "../router";
import { loadTargets, targetState, type Target } from "../targets";
import { alert, badge, card, empty, loading, pageHeader } from "../ui";
import type { Screen } from "../view";

interface Stats {
  until: string;
  minutes: MinuteCount[];
  queued: { pending: number; processing: number; held: number };
  oldestDueAt: string | null;
}

const REFRESH_MS = 30_000;

function stat(label: string, value: string, hint: string, kind = "", link?: string): HTMLElement {
  const body = [
    h("span", { class: "stat-label" }, label),
    h("span", { class: `stat-value ${kind}` }, value),
    h("span", { class: "stat-hint muted" }, hint),
  ];
  return link ? h("a", { class: "stat", href: link }, body) : h("div", { class: "stat" }, body);
}

function statsRow(stats: Stats): HTMLElement {
  const series = minuteSeries(stats.minutes, stats.until);
  const finished = series.totalSuccess + series.totalFailed;
  const rate = finished ? `${((series.totalSuccess / finished) * 100).toFixed(1)} %` : "—";
  const backlog = stats.oldestDueAt ? span(Date.parse(stats.until) - Date.parse(stats.oldestDueAt)) : "none";
  return h(
    "div",
    { class: "stats" },
    stat(
      "Succeeded · 24 h",
      count(series.totalSuccess),
      `success rate ${rate}`,
      "ok",
      hrefFor("logs", { status: "success" }),
    ),
    stat(
      "Failed · 24 h",
      count(series.totalFailed),
      "every attempt used, or a final answer",
      series.totalFailed ? "bad" : "",
      hrefFor("logs", { status: "failed" }),
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
  if (targets.every((t) => t.health === null))
    return alert(
      "info",
      "This server does not report target health yet, so failing and disabled targets cannot be listed.",
    );
  const troubled = targets.filter((t) => ["disabled", "failing", "paused"].includes(targetState(t)));
  if (troubled.length === 0)
    return empty(
      "All targets healthy",
      `${targets.length} target${targets.length === 1 ? "" : "s"}, none failing, paused or disabled.`,
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
            : `${t.health?.consecutiveFailures} failed in a row since ${ago(t.health?.failingSince)}`;
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
  mount() {
    const statsHost = h("div", null, loading());
    const chartHost = h("div", null, loading());
    const targetsHost = h("div", null, loading());
    const el = h(
      "div",
      { class: "screen" },
      pageHeader("Overview", "Deliveries over the last 24 hours, the queue, and targets that need attention."),
      statsHost,
      card("Deliveries per minute · last 24 hours", chartHost),
      card("Targets needing attention", targetsHost),
    );
    const refresh = async () => {
      await Promise.all([
        api<Stats>("GET", "/api/stats/deliveries?hours=24").then(
          (stats) => (
            replace(statsHost, statsRow(stats)),
            replace(chartHost, deliveryChart(minuteSeries(stats.minutes, stats.until)))
          ),
          (err) => (replace(statsHost, alert("error", describe(err, "load delivery statistics"))), replace(chartHost)),
        ),
        loadTargets().then(
          (t) => replace(targetsHost, attention(t)),
          (err) => replace(targetsHost, alert("error", describe(err, "load targets"))),
        ),
      ]);
    };
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return { el, destroy: () => clearInterval(timer) };
  },
};
