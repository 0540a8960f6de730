// Cron jobs: schedule and next runs, run now, pause/resume, and each job's run history.
import { Cron } from "croner";
import { api, describe } from "../api";
import { actionButton, button, toast } from "../controls";
import { h, replace } from "../dom";
import { ago, dateTime, duration } from "../format";
import { hrefFor } from "../router";
import { alert, badge, card, code, empty, loading, pageHeader } from "../ui";
import type { Screen } from "../view";

/** nextRuns lists a job's next few ticks, as the server's croner settings compute them. */
function nextRuns(job: any, n: number): Date[] {
  if (!job.active) return [];
  try {
    return new Cron(job.schedule, { timezone: job.timezone, paused: true, mode: "5-or-6-parts" }).nextRuns(n);
  } catch {
    return [];
  }
}

function runsTable(runs: any[]): HTMLElement {
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

function jobCard(job: any, reload: () => Promise<void>): HTMLElement {
  const errors = h("div");
  const history = h("div", null, loading("Loading runs…"));
  const loadRuns = async () => {
    try {
      const page = await api<{ items: any[] }>("GET", `/api/cron/${encodeURIComponent(job.name)}/runs?perPage=10`);
      replace(history, runsTable(page.items));
    } catch (err) {
      replace(history, alert("error", describe(err, "load the run history")));
    }
  };
  void loadRuns();
  const path = `/api/cron/${encodeURIComponent(job.name)}`;
  const upcoming = nextRuns(job, 3);
  const state = job.active ? "active" : "paused";
  return h(
    "div",
    { "data-job": job.name },
    card(
      h(
        "div",
        { class: "collection-head" },
        h("h2", null, job.name),
        badge(state),
        h("span", { class: "source" }, job.type.toUpperCase()),
      ),
      [
        h(
          "div",
          { class: "job-meta" },
          h(
            "div",
            null,
            h("span", { class: "muted small" }, "Schedule "),
            code(job.schedule),
            h("span", { class: "muted small" }, ` ${job.timezone}`),
          ),
          h(
            "div",
            null,
            h("span", { class: "muted small" }, "Next runs "),
            upcoming.length
              ? upcoming.map((d) => h("span", { class: "chip", title: d.toISOString() }, dateTime(d.toISOString())))
              : h("span", { class: "muted small" }, "none while paused"),
          ),
          h("div", { class: "truncate small muted" }, job.type === "sql" ? job.sql : `${job.method} ${job.url}`),
        ),
        errors,
        h("h3", { class: "sub" }, "Recent runs"),
        history,
      ],
      actionButton(
        "Run now",
        "run the job",
        async () => {
          const run = await api<any>("POST", `${path}/run`);
          toast(run.status === "skipped" ? "Skipped: a run is in progress" : `Run ${run.status}`);
          await loadRuns();
        },
        errors,
        { small: true, kind: "primary", testid: "run-now", needs: "cron:run" },
      ),
      actionButton(
        job.active ? "Pause" : "Resume",
        job.active ? "pause the job" : "resume the job",
        async () => {
          await api("PATCH", path, { active: !job.active });
          toast(job.active ? "Job paused" : "Job resumed");
          await reload();
        },
        errors,
        // Changing a SQL job is the admin's alone.
        { small: true, testid: "toggle-job", needs: job.type === "sql" ? "admin" : "cron:write" },
      ),
    ),
  );
}

/** cronScreen lists cron jobs. */
export const cronScreen: Screen = {
  id: "cron",
  needs: "cron:read",
  title: "Cron jobs",
  nav: "Cron",
  mount() {
    const list = h("div", { class: "stack" }, loading());
    const load = async () => {
      try {
        const jobs = await api<any[]>("GET", "/api/cron");
        if (jobs.length === 0)
          return replace(
            list,
            card(
              null,
              empty("No cron jobs yet", [
                "Create one with POST /api/cron, for example ",
                code('{"name":"cleanup","schedule":"0 2 * * *","type":"sql","sql":"DELETE FROM …"}'),
                ".",
              ]),
            ),
          );
        replace(
          list,
          jobs.map((j) => jobCard(j, load)),
        );
      } catch (err) {
        replace(list, alert("error", describe(err, "load the cron jobs")));
      }
    };
    void load();
    return {
      el: h(
        "div",
        { class: "screen" },
        pageHeader(
          "Cron jobs",
          "SQL statements and HTTP calls on a schedule, with their run history.",
          button("Refresh", () => void load(), { small: true }),
        ),
        list,
      ),
    };
  },
};
