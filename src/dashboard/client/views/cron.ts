import { api, describe } from "../api";
import type { CronJob, CronRun, Page } from "../api_types";
import { actionButton, button, confirmAction, toast } from "../controls";
import { h, replace } from "../dom";
import { dateTime } from "../format";
import { followDeliveries, liveBadge } from "../live";
import { singleFlight } from "../single_flight";
import { alert, badge, card, code, empty, loading, pageHeader } from "../ui";
import type { Screen } from "../view";
import { cronDialog } from "./cron_form";
import { secretDialog } from "./secret_dialog";
import { nextRuns, runsTable } from "./cron_runs";

function jobCard(job: CronJob, reload: () => void): HTMLElement {
  const errors = h("div");
  const history = h("div", null, loading("Loading runs…"));
  const loadRuns = async () => {
    try {
      const page = await api<Page<CronRun>>("GET", `/api/cron/${encodeURIComponent(job.name)}/runs?perPage=10`);
      replace(history, runsTable(page.items));
    } catch (err) {
      replace(history, alert("error", describe(err, "load the run history")));
    }
  };
  void loadRuns();
  const path = `/api/cron/${encodeURIComponent(job.name)}`;
  const upcoming = nextRuns(job, 3);
  const state = job.active ? "active" : "paused";
  // Changing a SQL job is the admin's alone.
  const writeScope = job.type === "sql" ? "admin" : "cron:write";
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
          const run = await api<CronRun>("POST", `${path}/run`);
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
          reload();
        },
        errors,
        { small: true, testid: "toggle-job", needs: writeScope },
      ),
      button("Edit", () => cronDialog(job, () => (toast("Job saved"), reload())), {
        small: true,
        testid: "edit-job",
        needs: writeScope,
      }),
      job.type === "http"
        ? button("Secret", () => secretDialog(`cron job ${job.name}`, `${path}/secret`), {
            small: true,
            needs: "secrets:read",
          })
        : null,
      button(
        "Delete",
        () =>
          confirmAction(
            "Delete cron job",
            `Delete ${job.name} and its run history?`,
            "Delete",
            "delete the job",
            async () => (await api("DELETE", path), toast("Job deleted"), reload()),
            "danger",
          ),
        { small: true, kind: "ghost", testid: "delete-job", needs: writeScope },
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
    const live = liveBadge();
    const create = () => cronDialog(null, () => (toast("Job created"), reload()));
    let tick: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const jobs = await api<CronJob[]>("GET", "/api/cron");
        // Reload just after the next scheduled run, so its result shows without a click.
        const next = Math.min(...jobs.flatMap((j) => nextRuns(j, 1)).map((d) => d.getTime()));
        clearTimeout(tick);
        if (Number.isFinite(next)) tick = setTimeout(reload, Math.min(next - Date.now() + 1500, 2 ** 31 - 1));
        if (jobs.length === 0)
          return replace(
            list,
            card(
              null,
              empty(
                "No cron jobs yet",
                "A cron job runs SQL on the database or calls a URL on a schedule.",
                button("New cron job", create, { kind: "primary", needs: "cron:write" }),
              ),
            ),
          );
        replace(
          list,
          jobs.map((j) => jobCard(j, reload)),
        );
      } catch (err) {
        replace(list, alert("error", describe(err, "load the cron jobs")));
      }
    };
    const reload = singleFlight(load);
    reload();
    const stop = followDeliveries("CRON", reload, live);
    return {
      el: h(
        "div",
        { class: "screen" },
        pageHeader(
          "Cron jobs",
          "SQL statements and HTTP calls on a schedule, with their run history.",
          live.el,
          button("New cron job", create, { kind: "primary", testid: "new-job", needs: "cron:write" }),
        ),
        list,
      ),
      destroy: () => (stop(), clearTimeout(tick)),
    };
  },
};
