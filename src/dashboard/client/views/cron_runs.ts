// A cron job's next ticks (computed as the server's croner computes them) and its run history.
import { Cron } from "croner";
import type { CronJob, CronRun } from "../api_types";
import { h } from "../dom";
import { ago, dateTime, duration } from "../format";
import { hrefFor } from "../router";
import { badge, empty } from "../ui";

/** nextRuns lists a job's next few ticks, as the server's croner settings compute them. */
export function nextRuns(job: CronJob, n: number): Date[] {
  if (!job.active) return [];
  try {
    return new Cron(job.schedule, { timezone: job.timezone, paused: true, mode: "5-or-6-parts" }).nextRuns(n);
  } catch {
    return [];
  }
}

export function runsTable(runs: CronRun[]): HTMLElement {
  if (runs.length === 0) return empty("No runs yet", "The job runs at its next scheduled time, or now with Run now.");
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table runs-table" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", null, "Started"),
          h("th", { class: "col-kind" }, "Kind"),
          h("th", null, "Status"),
          h("th", null, "Time"),
          h("th", null, "Result"),
        ),
      ),
      h(
        "tbody",
        null,
        runs.map((r) =>
          h(
            "tr",
            { "data-run-status": r.status },
            h("td", { title: dateTime(r.startedAt) }, ago(r.startedAt)),
            h("td", { class: "col-kind" }, r.kind),
            h("td", null, badge(r.status)),
            h("td", null, duration(r.durationMs)),
            h(
              "td",
              { class: "small" },
              r.error
                ? h("span", { class: "bad-text" }, r.error)
                : r.deliveryId
                  ? h("a", { href: hrefFor("logs", { source: "cron", cronJob: r.job, log: r.deliveryId }) }, "delivery")
                  : r.rowsChanged !== null
                    ? `${r.rowsChanged} rows changed`
                    : "—",
            ),
          ),
        ),
      ),
    ),
  );
}
