// GraphQL: cron jobs and their runs, with run-now and stopping a run.
import { refuseSqlUnlessAdmin } from "../auth/access";
import { runCronJobNow } from "../cron/cron_execute";
import { parseCronJobInput, type CronJob } from "../cron/cron_input";
import { listRuns, type CronRun } from "../cron/cron_runs";
import { nextRunAt } from "../cron/cron_schedule";
import { stopCronRun } from "../cron/cron_stop";
import {
  createCronJob,
  deleteCronJob,
  enableCronJob,
  getCronJob,
  listCronJobs,
  updateCronJob,
} from "../cron/cron_store";
import { enablesTarget } from "../targets/request_settings";
import { parsePageRequest } from "../lib/page";
import { builder } from "./builder";
import { CronRunKind, CronRunStatus } from "./enums";
import { healthOutputFields } from "./health_fields";
import { requestSettingsInputFields, requestSettingsOutputFields } from "./request_settings_fields";
import { pageType } from "./page_type";
import { withoutNulls } from "./without_nulls";

const CronJobRef = builder.objectRef<CronJob>("CronJob").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    schedule: t.exposeString("schedule"),
    timezone: t.exposeString("timezone"),
    type: t.exposeString("type"),
    sql: t.exposeString("sql", { nullable: true }),
    database: t.exposeString("database"),
    url: t.exposeString("url", { nullable: true }),
    ...requestSettingsOutputFields(t),
    ...healthOutputFields(t),
    nextRunAt: t.string({ nullable: true, resolve: (job, _a, deps) => nextRunAt(job, deps.clock.now()) }),
    created: t.exposeString("created"),
    updated: t.exposeString("updated"),
  }),
});

const CronRunRef = builder.objectRef<CronRun>("CronRun").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    job: t.exposeString("job"),
    kind: t.expose("kind", { type: CronRunKind }),
    scheduledAt: t.exposeString("scheduledAt"),
    startedAt: t.exposeString("startedAt"),
    finishedAt: t.exposeString("finishedAt", { nullable: true }),
    durationMs: t.exposeInt("durationMs", { nullable: true }),
    status: t.expose("status", { type: CronRunStatus }),
    rowsChanged: t.exposeInt("rowsChanged", { nullable: true }),
    error: t.exposeString("error", { nullable: true }),
    deliveryId: t.exposeString("deliveryId", { nullable: true }),
    instance: t.exposeString("instance"),
  }),
});

const CronRunPage = pageType("CronRunPage", CronRunRef);

const CronJobInput = builder.inputType("CronJobInput", {
  description: "On update, fields left out keep their stored values.",
  fields: (t) => ({
    name: t.string(),
    schedule: t.string({ description: "5 fields, or 6 with seconds first" }),
    timezone: t.string({ description: "IANA time zone, default UTC" }),
    type: t.string({ description: "sql or http" }),
    sql: t.string(),
    database: t.string({ description: "default (hookd has one database)" }),
    url: t.string(),
    ...requestSettingsInputFields(t),
  }),
});

builder.queryFields((t) => ({
  cronJobs: t.field({
    authScopes: { scope: "cron:read" },
    type: [CronJobRef],
    resolve: (_r, _a, deps) => listCronJobs(deps, deps.answer),
  }),
  cronJob: t.field({
    authScopes: { scope: "cron:read" },
    type: CronJobRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => getCronJob(deps, name),
  }),
  cronRuns: t.field({
    authScopes: { scope: "cron:read" },
    type: CronRunPage,
    args: { job: t.arg.string({ required: true }), page: t.arg.int(), perPage: t.arg.int() },
    resolve: async (_r, args, deps) =>
      listRuns(deps, (await getCronJob(deps, args.job)).name, parsePageRequest(args.page, args.perPage), deps.answer),
  }),
}));

builder.mutationFields((t) => ({
  createCronJob: t.field({
    authScopes: { scope: "cron:write" },
    type: CronJobRef,
    args: { input: t.arg({ type: CronJobInput, required: true }) },
    resolve: (_r, { input }, deps) => {
      const job = parseCronJobInput(withoutNulls(input));
      refuseSqlUnlessAdmin(deps.access, job);
      return createCronJob(deps, job);
    },
  }),
  updateCronJob: t.field({
    authScopes: { scope: "cron:write" },
    type: CronJobRef,
    args: { name: t.arg.string({ required: true }), input: t.arg({ type: CronJobInput, required: true }) },
    resolve: async (_r, { name, input }, deps) => {
      const before = await getCronJob(deps, name);
      refuseSqlUnlessAdmin(deps.access, before);
      const body = withoutNulls(input);
      const job = parseCronJobInput(body, before);
      refuseSqlUnlessAdmin(deps.access, job);
      return updateCronJob(deps, before, job, enablesTarget(body));
    },
  }),
  enableCronJob: t.field({
    authScopes: { scope: "cron:write" },
    type: CronJobRef,
    description: "Un-pause a cron job, clear its disabled state and release its held deliveries in order.",
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => enableCronJob(deps, name),
  }),
  deleteCronJob: t.field({
    authScopes: { scope: "cron:write" },
    type: CronJobRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => deleteCronJob(deps, name),
  }),
  runCronJob: t.field({
    authScopes: { scope: "cron:run" },
    type: CronRunRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => runCronJobNow(deps, name),
  }),
  stopCronRun: t.field({
    authScopes: { scope: "cron:run" },
    type: CronRunRef,
    description:
      "Stop the job's run in progress (nothing it wrote is kept); a run on another instance answers still running, and stops there shortly.",
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => stopCronRun(deps, name),
  }),
}));
