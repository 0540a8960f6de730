// REST: cron jobs at /api/cron, with run-now and run history.
import { z } from "zod";
import { runCronJobNow } from "../cron/cron_execute";
import { parseCronJobInput, type CronJob } from "../cron/cron_input";
import { listRuns } from "../cron/cron_runs";
import { nextRunAt } from "../cron/cron_schedule";
import { createCronJob, deleteCronJob, getCronJob, listCronJobs, updateCronJob } from "../cron/cron_store";
import type { Deps } from "../deps";
import { enablesTarget } from "../targets/request_settings";
import { PAGE_QUERY, parsePageRequest } from "../lib/page";
import { json, readJson } from "./respond";
import type { ApiRouter, RouteSpec } from "./route_spec";

const spec = (summary: string, more: Partial<RouteSpec> = {}): RouteSpec => ({ summary, tag: "cron", ...more });

/** addCronRoutes registers the cron job endpoints. */
export function addCronRoutes(router: ApiRouter, deps: Deps): void {
  const view = (job: CronJob) => ({ ...job, nextRunAt: nextRunAt(job, deps.clock.now()) });
  router
    .on("GET", "/api/cron", spec("List cron jobs"), async () => json((await listCronJobs(deps)).map(view)))
    .on("POST", "/api/cron", spec("Create a cron job"), async ({ req }) =>
      json(view(await createCronJob(deps, parseCronJobInput(await readJson(req))))),
    )
    .on("GET", "/api/cron/:name", spec("Read a cron job"), async ({ params }) =>
      json(view(await getCronJob(deps, params.name!))),
    )
    .on("PATCH", "/api/cron/:name", spec("Change a cron job"), async ({ req, params }) => {
      const before = await getCronJob(deps, params.name!);
      const body = await readJson(req);
      return json(view(await updateCronJob(deps, before, parseCronJobInput(body, before), enablesTarget(body))));
    })
    .on("DELETE", "/api/cron/:name", spec("Delete a cron job"), async ({ params }) => {
      await deleteCronJob(deps, params.name!);
      return new Response(null, { status: 204 });
    })
    .on("POST", "/api/cron/:name/run", spec("Run a cron job now"), async ({ params }) =>
      json(await runCronJobNow(deps, params.name!)),
    )
    .on(
      "GET",
      "/api/cron/:name/runs",
      spec("List a cron job's runs, newest first", { query: z.object(PAGE_QUERY) }),
      async ({ params, query }) => {
        const job = await getCronJob(deps, params.name!);
        return json(await listRuns(deps, job.name, parsePageRequest(query.page, query.perPage)));
      },
    );
}
