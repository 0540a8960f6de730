// REST: cron jobs at /api/cron, with run-now, stopping a run and run history.
import { z } from "zod";
import { runCronJobNow } from "../cron/cron_execute";
import { cronJobShape, parseCronJobInput, type CronJob } from "../cron/cron_input";
import { listRuns } from "../cron/cron_runs";
import { nextRunAt } from "../cron/cron_schedule";
import { stopCronRun } from "../cron/cron_stop";
import { createCronJob, deleteCronJob, getCronJob, listCronJobs, updateCronJob } from "../cron/cron_store";
import { type Access, refuseSqlUnlessAdmin } from "../auth/access";
import { targetShownTo } from "../auth/header_masking";
import type { Deps } from "../deps";
import { enablesTarget } from "../targets/request_settings";
import { PAGE_QUERY, parsePageRequest } from "../lib/page";
import { AnswerBudget } from "../lib/answer_budget";
import { pageOf } from "./answers";
import { cronJobAnswer, cronRunAnswer } from "./target_answers";
import { json, readJson } from "./respond";
import type { RouteAccess } from "./api_router";
import type { ApiRouter, RouteSpec } from "./route_spec";
import { wholeListBudget } from "./list_params";

const spec = (summary: string, access: RouteAccess, more: Partial<RouteSpec> = {}): RouteSpec => ({
  summary,
  tag: "cron",
  access,
  ...more,
});

/** addCronRoutes registers the cron job endpoints. */
export function addCronRoutes(router: ApiRouter, deps: Deps): void {
  const view = (access: Access, job: CronJob) =>
    targetShownTo(deps.atRest, access, { ...job, nextRunAt: nextRunAt(job, deps.clock.now()) });
  router
    .on(
      "GET",
      "/api/cron",
      spec("List cron jobs", "cron:read", { answer: z.array(cronJobAnswer), wholeList: true }),
      async ({ access }) => json((await listCronJobs(deps, wholeListBudget(deps))).map((job) => view(access, job))),
    )
    .on(
      "POST",
      "/api/cron",
      spec("Create a cron job", "cron:write", { body: z.object(cronJobShape), answer: cronJobAnswer }),
      async ({ req, access }) => {
        const job = parseCronJobInput(await readJson(req));
        refuseSqlUnlessAdmin(access, job);
        return json(view(access, await createCronJob(deps, job)));
      },
    )
    .on(
      "GET",
      "/api/cron/:name",
      spec("Read a cron job", "cron:read", { answer: cronJobAnswer }),
      async ({ params, access }) => json(view(access, await getCronJob(deps, params.name!))),
    )
    .on(
      "PATCH",
      "/api/cron/:name",
      spec("Change a cron job", "cron:write", { body: z.object(cronJobShape).partial(), answer: cronJobAnswer }),
      async ({ req, params, access }) => {
        const before = await getCronJob(deps, params.name!);
        refuseSqlUnlessAdmin(access, before);
        const body = await readJson(req);
        const job = parseCronJobInput(body, before);
        refuseSqlUnlessAdmin(access, job);
        return json(view(access, await updateCronJob(deps, before, job, enablesTarget(body))));
      },
    )
    .on("DELETE", "/api/cron/:name", spec("Delete a cron job", "cron:write"), async ({ params }) => {
      await deleteCronJob(deps, params.name!);
      return new Response(null, { status: 204 });
    })
    .on(
      "POST",
      "/api/cron/:name/run",
      spec("Run a cron job now", "cron:run", { answer: cronRunAnswer }),
      async ({ params }) => json(await runCronJobNow(deps, params.name!)),
    )
    .on(
      "POST",
      "/api/cron/:name/stop",
      spec(
        "Stop a cron job's run in progress; a run on another instance answers still running, and stops there shortly",
        "cron:run",
        { answer: cronRunAnswer },
      ),
      async ({ params }) => json(await stopCronRun(deps, params.name!)),
    )
    .on(
      "GET",
      "/api/cron/:name/runs",
      spec("List a cron job's runs, newest first", "cron:read", {
        query: z.object(PAGE_QUERY),
        answer: pageOf(cronRunAnswer),
      }),
      async ({ params, query }) => {
        const job = await getCronJob(deps, params.name!);
        const page = parsePageRequest(query.page, query.perPage);
        return json(await listRuns(deps, job.name, page, new AnswerBudget(deps.config.maxAnswerBytes)));
      },
    );
}
