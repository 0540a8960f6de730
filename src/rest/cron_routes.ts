// REST: cron jobs at /api/cron, with run-now, stopping a run and run history.
import { runCronJobNow } from "../cron/cron_execute";
import { parseCronJobInput, type CronJob } from "../cron/cron_input";
import { listRuns } from "../cron/cron_runs";
import { nextRunAt } from "../cron/cron_schedule";
import { stopCronRun } from "../cron/cron_stop";
import { createCronJob, deleteCronJob, getCronJob, listCronJobs, updateCronJob } from "../cron/cron_store";
import type { Deps } from "../deps";
import { enablesTarget } from "../dispatch/request_settings";
import { parsePageRequest } from "../lib/page";
import type { Router } from "../lib/router";
import { json, readJson } from "./respond";

/** addCronRoutes registers the cron job endpoints. */
export function addCronRoutes(router: Router, deps: Deps): void {
  const view = (job: CronJob) => ({ ...job, nextRunAt: nextRunAt(job, deps.clock.now()) });
  router
    .on("GET", "/api/cron", async () => json((await listCronJobs(deps)).map(view)))
    .on("POST", "/api/cron", async ({ req }) =>
      json(view(await createCronJob(deps, parseCronJobInput(await readJson(req))))),
    )
    .on("GET", "/api/cron/:name", async ({ params }) => json(view(await getCronJob(deps, params.name!))))
    .on("PATCH", "/api/cron/:name", async ({ req, params }) => {
      const before = await getCronJob(deps, params.name!);
      const body = await readJson(req);
      return json(view(await updateCronJob(deps, before, parseCronJobInput(body, before), enablesTarget(body))));
    })
    .on("DELETE", "/api/cron/:name", async ({ params }) => {
      await deleteCronJob(deps, params.name!);
      return new Response(null, { status: 204 });
    })
    .on("POST", "/api/cron/:name/run", async ({ params }) => json(await runCronJobNow(deps, params.name!)))
    .on("POST", "/api/cron/:name/stop", async ({ params }) => {
      // 202: the run goes on elsewhere until the instance running it reads the request.
      const { run, ended } = await stopCronRun(deps, params.name!);
      return json(run, ended ? 200 : 202);
    })
    .on("GET", "/api/cron/:name/runs", async ({ params, url }) => {
      const job = await getCronJob(deps, params.name!);
      return json(
        await listRuns(deps, job.name, parsePageRequest(url.searchParams.get("page"), url.searchParams.get("perPage"))),
      );
    });
}
