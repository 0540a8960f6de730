// Cron jobs over REST and GraphQL: CRUD, validation, run-now and run history. No scheduler
// runs here; run-now drives runs directly.
import { beforeAll, describe, expect, test } from "bun:test";
import { runScenarios, type Scenario } from "../support/scenario";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  await t.request("POST", "/api/collections", { name: "notes", fields: [{ name: "title", type: "text" }] });
});

const sqlJob = { name: "cleanup", schedule: "0 2 * * *", type: "sql", sql: "DELETE FROM notes WHERE title = 'old'" };
const httpJob = {
  name: "health",
  schedule: "*/5 * * * *",
  type: "http",
  url: "http://127.0.0.1:9/health",
  method: "get",
  headers: { "X-Src": "cron" },
  body: { type: "daily" },
};

describe("REST", () => {
  runScenarios(
    () => t,
    [
      {
        name: "create a SQL job (defaults filled in)",
        method: "POST",
        url: "/api/cron",
        body: sqlJob,
        expectedStatus: 200,
        expectedContent: ['"timezone":"UTC"', '"database":"default"', '"active":true', '"nextRunAt":"'],
      },
      {
        name: "create an HTTP job; a JSON body is stored encoded",
        method: "POST",
        url: "/api/cron",
        body: httpJob,
        expectedStatus: 200,
        after: (_t, job) =>
          expect(job).toMatchObject({
            method: "GET",
            body: '{"type":"daily"}',
            contentType: "json",
            retryLimit: null,
            retrySchedule: null,
            sql: null,
          }),
      },
      {
        name: "list answers a plain array, by name",
        method: "GET",
        url: "/api/cron",
        expectedStatus: 200,
        after: (_t, list) => expect(list.map((j: any) => j.name)).toEqual(["cleanup", "health"]),
      },
      {
        name: "get one",
        method: "GET",
        url: "/api/cron/health",
        expectedStatus: 200,
        expectedContent: ['"url":"http://127.0.0.1:9/health"'],
      },
      {
        name: "pause: no next run",
        method: "PATCH",
        url: "/api/cron/health",
        body: { active: false },
        expectedStatus: 200,
        expectedContent: ['"active":false', '"nextRunAt":null'],
      },
      {
        name: "resume with VSKI's `enabled`",
        method: "PATCH",
        url: "/api/cron/health",
        body: { enabled: true },
        expectedStatus: 200,
        expectedContent: ['"active":true'],
      },
      {
        name: "a patch keeps what it does not name",
        method: "PATCH",
        url: "/api/cron/health",
        body: { schedule: "0 0 * * * *", timezone: "Asia/Tokyo" },
        expectedStatus: 200,
        expectedContent: ['"url":"http://127.0.0.1:9/health"', '"timezone":"Asia/Tokyo"'],
      },
      {
        name: "switching type needs the new type's field",
        method: "PATCH",
        url: "/api/cron/health",
        body: { type: "sql" },
        expectedStatus: 400,
        expectedContent: ['"sql":{', "required for a sql job"],
      },
      { name: "delete", method: "DELETE", url: "/api/cron/health", expectedStatus: 204 },
      {
        name: "deleted is gone",
        method: "GET",
        url: "/api/cron/health",
        expectedStatus: 404,
        expectedContent: ['cron job \\"health\\" not found'],
      },
    ],
  );
});

const errorCases: [string, unknown, number, string][] = [
  ["invalid schedule", { ...sqlJob, name: "e1", schedule: "every day" }, 400, "schedule"],
  [
    "out-of-range schedule field",
    { ...sqlJob, name: "e2", schedule: "61 * * * *" },
    400,
    'the minute field \\"61\\" has 61, outside 0-59',
  ],
  ["seven fields", { ...sqlJob, name: "e3", schedule: "0 0 0 * * * 2030" }, 400, "schedule"],
  ["schedule that never fires", { ...sqlJob, name: "e4", schedule: "0 0 31 2 *" }, 400, "never fires"],
  ["missing schedule", { ...sqlJob, name: "e5", schedule: undefined }, 400, "schedule"],
  ["invalid time zone", { ...sqlJob, name: "e6", timezone: "Mars/Olympus" }, 400, "not an IANA time zone"],
  ["invalid type", { ...sqlJob, name: "e7", type: "shell" }, 400, 'must be \\"sql\\" or \\"http\\"'],
  ["sql job without sql", { ...sqlJob, name: "e8", sql: "  " }, 400, "required for a sql job"],
  ["http job without url", { ...httpJob, name: "e9", url: undefined }, 400, "required for an http job"],
  ["bad url", { ...httpJob, name: "e10", url: "ftp://example.com" }, 400, "http:// or https://"],
  ["bad method", { ...httpJob, name: "e11", method: "FETCH" }, 400, "method"],
  ["another database", { ...sqlJob, name: "e12", database: "analytics" }, 400, "hookd has one database"],
  ["bad content type", { ...httpJob, name: "e13", contentType: "yaml please" }, 400, "contentType"],
  [
    "JSON content type with a non-JSON string body",
    { ...httpJob, name: "e14", body: "not json" },
    400,
    "not valid JSON",
  ],
  ["retryLimit out of range", { ...httpJob, name: "e15", retryLimit: 0 }, 400, "retryLimit"],
  ["bad name", { ...sqlJob, name: "no spaces" }, 400, "name"],
  ["duplicate name", sqlJob, 409, 'a cron job named \\"cleanup\\" already exists'],
  ["a body that is not an object", [sqlJob], 400, "must be a JSON object"],
  ["malformed JSON", "{not json", 400, "not valid JSON"],
];

describe("REST errors", () => {
  runScenarios(
    () => t,
    [
      ...errorCases.map(
        ([name, body, status, says]): Scenario => ({
          name: `create: ${name} → ${status}`,
          method: "POST",
          url: "/api/cron",
          body,
          expectedStatus: status,
          expectedContent: [says],
        }),
      ),
      { name: "unknown job → 404", method: "GET", url: "/api/cron/nope", expectedStatus: 404 },
      {
        name: "patch unknown job → 404",
        method: "PATCH",
        url: "/api/cron/nope",
        body: { active: false },
        expectedStatus: 404,
      },
      { name: "run unknown job → 404", method: "POST", url: "/api/cron/nope/run", expectedStatus: 404 },
      { name: "runs of unknown job → 404", method: "GET", url: "/api/cron/nope/runs", expectedStatus: 404 },
      {
        name: "invalid schedule on update → 400, nothing changed",
        method: "PATCH",
        url: "/api/cron/cleanup",
        body: { schedule: "* *" },
        expectedStatus: 400,
        after: async (t) => expect((await t.request("GET", "/api/cron/cleanup")).body.schedule).toBe("0 2 * * *"),
      },
      {
        name: "a body that is not JSON → 415",
        method: "POST",
        url: "/api/cron",
        headers: { authorization: "Bearer test-token", "content-type": "text/plain" },
        body: "x",
        expectedStatus: 415,
      },
      { name: "without the admin token → 401", method: "GET", url: "/api/cron", headers: {}, expectedStatus: 401 },
    ],
  );
});

describe("run-now and history", () => {
  test("run-now of a SQL job records rows changed, and writes fire the collection's capture triggers", async () => {
    await t.request("POST", "/api/cron", {
      name: "seed",
      schedule: "0 0 1 1 *",
      type: "sql",
      active: false,
      sql: "INSERT INTO notes (title) VALUES ('a'); INSERT INTO notes (title) VALUES ('b'), ('c')",
    });
    const run = await t.request("POST", "/api/cron/seed/run");
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ job: "seed", kind: "manual", status: "success", rowsChanged: 3, error: null });
    expect(run.body.durationMs).toBeGreaterThanOrEqual(0);
  });

  test("a failing statement fails the run, names the error, and rolls back the whole script", async () => {
    await t.request("POST", "/api/cron", {
      name: "broken",
      schedule: "* * * * *",
      type: "sql",
      active: false,
      sql: "INSERT INTO notes (title) VALUES ('kept?'); INSERT INTO nope VALUES (1)",
    });
    const run = await t.request("POST", "/api/cron/broken/run");
    expect(run.body).toMatchObject({ status: "failed", rowsChanged: null });
    expect(run.body.error).toContain("no such table: nope");
    const kept = await t.deps.db.execute("SELECT count(*) AS n FROM notes WHERE title = 'kept?'");
    expect(Number(kept.rows[0]!.n)).toBe(0);
  });

  test("run-now of an HTTP job enqueues one delivery with source cron and records its id", async () => {
    await t.request("POST", "/api/cron", { ...httpJob, name: "ping", method: "POST", headers: { "X-Src": "cron" } });
    const run = await t.request("POST", "/api/cron/ping/run");
    expect(run.body).toMatchObject({ status: "success", kind: "manual" });
    const log = (
      await t.deps.db.execute({ sql: "SELECT * FROM _webhook_logs WHERE id = ?", args: [run.body.deliveryId] })
    ).rows[0]!;
    expect({ ...log }).toMatchObject({
      source: "cron",
      cron_job: "ping",
      status: "pending",
      method: "POST",
      payload: '{"type":"daily"}',
      content_type: "application/json",
      headers: '{"X-Src":"cron"}',
    });
  });

  test("a run left running by a stopped instance blocks nothing once its lease ran out, and is marked abandoned", async () => {
    await t.request("POST", "/api/cron", {
      name: "orphaned",
      schedule: "0 0 1 1 *",
      type: "sql",
      sql: "SELECT 1",
      active: false,
    });
    const past = new Date(Date.now() - 60_000).toISOString();
    await t.deps.db.execute({
      sql: "INSERT INTO _cron_runs (id, job, scheduled_at, started_at, status, instance, lease_expires_at) VALUES ('dead', 'orphaned', ?, ?, 'running', 'gone', ?)",
      args: [past, past, past],
    });
    expect((await t.request("POST", "/api/cron/orphaned/run")).body.status).toBe("success");
    const dead = (await t.request("GET", "/api/cron/orphaned/runs")).body.items.find((r: any) => r.id === "dead");
    expect(dead).toMatchObject({ status: "failed", error: "abandoned: instance gone stopped before the run finished" });
  });

  test("while another instance's run is live, run-now is recorded as skipped rather than overlapping it", async () => {
    // A second in the past: run-now's own tick is "now" and (job, scheduled_at) is unique.
    const now = new Date(Date.now() - 1_000).toISOString();
    const lease = new Date(Date.now() + 60_000).toISOString();
    await t.deps.db.execute({
      sql: "INSERT INTO _cron_runs (id, job, scheduled_at, started_at, status, instance, lease_expires_at) VALUES ('live', 'orphaned', ?, ?, 'running', 'other', ?)",
      args: [now, now, lease],
    });
    const run = await t.request("POST", "/api/cron/orphaned/run");
    expect(run.body).toMatchObject({
      status: "skipped",
      error: "skipped: the previous run of this job was still running",
      durationMs: null,
    });
  });

  test("runs are listed newest first in the page shape", async () => {
    for (let i = 0; i < 3; i++) await t.request("POST", "/api/cron/seed/run");
    const page = await t.request("GET", "/api/cron/seed/runs?perPage=2");
    expect(page.body).toMatchObject({ page: 1, perPage: 2, totalItems: 4, totalPages: 2 });
    const [a, b] = page.body.items;
    expect(a.scheduledAt >= b.scheduledAt).toBe(true);
    expect((await t.request("GET", "/api/cron/seed/runs?page=0")).status).toBe(400);
  });

  test("renaming a job carries its history; deleting forgets it", async () => {
    expect((await t.request("PATCH", "/api/cron/seed", { name: "seeder" })).status).toBe(200);
    expect((await t.request("GET", "/api/cron/seeder/runs")).body.totalItems).toBe(4);
    await t.request("DELETE", "/api/cron/seeder");
    expect(
      Number(
        (await t.deps.db.execute("SELECT count(*) AS n FROM _cron_runs WHERE job IN ('seed', 'seeder')")).rows[0]!.n,
      ),
    ).toBe(0);
  });
});

describe("GraphQL", () => {
  test("create, query, run and list runs", async () => {
    const created = await t.graphql(
      `mutation ($input: CronJobInput!) { createCronJob(input: $input) { name type timezone active nextRunAt } }`,
      { input: { name: "gql", schedule: "*/10 * * * * *", timezone: "Europe/Berlin", type: "sql", sql: "SELECT 1" } },
    );
    expect(created.body.data.createCronJob).toMatchObject({
      name: "gql",
      type: "sql",
      timezone: "Europe/Berlin",
      active: true,
    });
    const ran = await t.graphql(`mutation { runCronJob(name: "gql") { status kind rowsChanged } }`);
    expect(ran.body.data.runCronJob).toEqual({ status: "SUCCESS", kind: "MANUAL", rowsChanged: 0 });
    const q = await t.graphql(
      `{ cronJob(name: "gql") { schedule } cronJobs { name } cronRuns(job: "gql", perPage: 5) { totalItems items { status } } }`,
    );
    expect(q.body.data.cronJob.schedule).toBe("*/10 * * * * *");
    expect(q.body.data.cronRuns).toEqual({ totalItems: 1, items: [{ status: "SUCCESS" }] });
    const updated = await t.graphql(
      `mutation { updateCronJob(name: "gql", input: { active: false }) { active nextRunAt } }`,
    );
    expect(updated.body.data.updateCronJob).toEqual({ active: false, nextRunAt: null });
    const deleted = await t.graphql(`mutation { deleteCronJob(name: "gql") { name } }`);
    expect(deleted.body.data.deleteCronJob.name).toBe("gql");
  });

  test.each([
    [
      "invalid schedule",
      `mutation { createCronJob(input: { name: "x", schedule: "nope", type: "sql", sql: "SELECT 1" }) { name } }`,
      "VALIDATION",
    ],
    [
      "invalid time zone",
      `mutation { createCronJob(input: { name: "x", schedule: "* * * * *", timezone: "Nowhere", type: "sql", sql: "SELECT 1" }) { name } }`,
      "VALIDATION",
    ],
    [
      "duplicate name",
      `mutation { createCronJob(input: { name: "cleanup", schedule: "* * * * *", type: "sql", sql: "SELECT 1" }) { name } }`,
      "CONFLICT",
    ],
    ["unknown job", `mutation { runCronJob(name: "nope") { status } }`, "NOT_FOUND"],
    ["runs of unknown job", `{ cronRuns(job: "nope") { totalItems } }`, "NOT_FOUND"],
  ])("%s → extensions.code %s", async (_name, query, code) => {
    const res = await t.graphql(query);
    expect(res.body.errors[0].extensions.code).toBe(code);
  });
});
