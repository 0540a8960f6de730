// Per-target retry schedules (docs/delivery.md) over REST and GraphQL: triggers, webhooks and HTTP cron
// jobs carry `retrySchedule` (a list of durations, or one comma-separated string) and an
// optional `retryLimit`; a bad entry is a 400 naming its index, and nothing is written. A
// delivery then waits as its own target's schedule says.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeDispatchingApp, waitForLogs, type DispatchingApp } from "../support/deliveries";
import { startReceiver, type Receiver } from "../support/receiver";
import { runScenarios } from "../support/scenario";

let t: DispatchingApp;
let rx: Receiver;
beforeAll(async () => {
  // Unscaled, so a schedule written in ms below is what the dispatcher waits.
  t = await makeDispatchingApp({ retryBaseMs: 2000 });
  rx = startReceiver();
});
afterAll(async () => {
  await t.dispatcher.stop();
  await rx.stop();
});

const count = async (table: string) =>
  Number((await t.deps.db.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

describe("REST", () => {
  runScenarios(
    () => t,
    [
      {
        name: "a trigger's bad schedule entry is named by its index",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "bad",
          fields: [{ name: "title", type: "text" }],
          triggers: [{ action: "create", url: "http://127.0.0.1:9/x", retrySchedule: ["5s", "5m", "soon"] }],
        },
        expectedStatus: 400,
        expectedContent: ['"triggers.0.retrySchedule.2"', "must be a duration such as 5s"],
        after: async () => expect(await count("_collections")).toBe(0),
      },
      {
        name: "a schedule that is neither a list nor a string",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "bad",
          fields: [{ name: "title", type: "text" }],
          triggers: [{ action: "create", url: "http://127.0.0.1:9/x", retrySchedule: { first: "5s" } }],
        },
        expectedStatus: 400,
        expectedContent: ['"triggers.0.retrySchedule"'],
      },
      {
        name: "a webhook's schedule as one string: the bad entry is named by its index",
        method: "POST",
        url: "/api/webhooks",
        body: { name: "w", url: "http://127.0.0.1:9/w", retrySchedule: "5s, 8d" },
        expectedStatus: 400,
        expectedContent: ['"retrySchedule.1"', "at most 7d"],
        after: async () => expect(await count("_webhooks")).toBe(0),
      },
      {
        name: "an HTTP cron job's bad schedule",
        method: "POST",
        url: "/api/cron",
        body: { name: "c", schedule: "0 * * * *", type: "http", url: "http://127.0.0.1:9/c", retrySchedule: ["0s"] },
        expectedStatus: 400,
        expectedContent: ['"retrySchedule.0"', "at least 1ms"],
        after: async () => expect(await count("_cron_jobs")).toBe(0),
      },
      {
        name: "a webhook without retryLimit or retrySchedule answers null for both (the server's schedule decides)",
        method: "POST",
        url: "/api/webhooks",
        body: { name: "plain", url: "http://127.0.0.1:9/p" },
        expectedStatus: 200,
        expectedContent: ['"retryLimit":null', '"retrySchedule":null'],
      },
      {
        name: "a webhook keeps its schedule as a list",
        method: "POST",
        url: "/api/webhooks",
        body: { name: "own", url: "http://127.0.0.1:9/o", retrySchedule: "1s,30s", retryLimit: 4 },
        expectedStatus: 200,
        expectedContent: ['"retrySchedule":["1s","30s"]', '"retryLimit":4'],
      },
      {
        name: "PATCH retryLimit: null unsets it; the schedule stays",
        method: "PATCH",
        url: "/api/webhooks/own",
        body: { retryLimit: null },
        expectedStatus: 200,
        expectedContent: ['"retrySchedule":["1s","30s"]', '"retryLimit":null'],
      },
      {
        name: "an HTTP cron job keeps its schedule",
        method: "POST",
        url: "/api/cron",
        body: { name: "c", schedule: "0 * * * *", type: "http", url: "http://127.0.0.1:9/c", retrySchedule: ["10s"] },
        expectedStatus: 200,
        expectedContent: ['"retrySchedule":["10s"]'],
      },
    ],
  );
});

describe("GraphQL", () => {
  test("a trigger's schedule is given and read back; a bad one names triggers.0.retrySchedule.1", async () => {
    const create = `mutation($input: CollectionInput!) { createCollection(input: $input) { triggers { id retryLimit retrySchedule } } }`;
    const bad = await t.graphql(create, {
      input: {
        name: "gq",
        fields: [{ name: "title", type: "text" }],
        triggers: [{ action: "CREATE", url: "http://127.0.0.1:9/g", retrySchedule: ["1s", "later"] }],
      },
    });
    expect(bad.body.errors[0].extensions.code).toBe("VALIDATION");
    expect(JSON.stringify(bad.body.errors[0].extensions)).toContain("triggers.0.retrySchedule.1");
    const good = await t.graphql(create, {
      input: {
        name: "gq",
        fields: [{ name: "title", type: "text" }],
        triggers: [{ id: "t", action: "CREATE", url: "http://127.0.0.1:9/g", retrySchedule: ["1s", "1m"] }],
      },
    });
    expect(good.body.data.createCollection.triggers).toEqual([
      { id: "t", retryLimit: null, retrySchedule: ["1s", "1m"] },
    ]);
  });

  test("an HTTP cron job's schedule; a bad one names retrySchedule.0", async () => {
    const create = (schedule: string[]) =>
      t.graphql(
        `mutation($s: [String!]) { createCronJob(input: { name: "gc", schedule: "0 * * * *", type: "http", url: "http://127.0.0.1:9/c", retrySchedule: $s }) { retrySchedule } }`,
        { s: schedule },
      );
    const bad = await create(["never"]);
    expect(JSON.stringify(bad.body.errors[0].extensions)).toContain("retrySchedule.0");
    expect((await create(["1m", "1h"])).body.data.createCronJob.retrySchedule).toEqual(["1m", "1h"]);
  });

  test("a webhook's schedule", async () => {
    const res = await t.graphql(
      `mutation { createWebhook(input: { name: "gw", url: "http://127.0.0.1:9/gw", retrySchedule: ["2s"] }) { retrySchedule retryLimit } }`,
    );
    expect(res.body.data.createWebhook).toEqual({ retrySchedule: ["2s"], retryLimit: null });
  });
});

describe("sending", () => {
  test("a delivery waits as its target's own schedule says, and stops when it runs out", async () => {
    rx.respond = () => ({ status: 503 });
    const res = await t.request("POST", "/api/collections", {
      name: "sched",
      fields: [{ name: "title", type: "text" }],
      triggers: [{ id: "s", action: "create", url: `${rx.url}/s`, retrySchedule: ["30ms", "300ms"] }],
    });
    expect(res.status).toBe(200);
    await t.request("POST", "/api/collections/sched/records", { title: "x" });
    const [row] = await waitForLogs(t.deps, "collection = 'sched'", (rows) => rows[0]?.status === "failed");
    expect(row!.tries).toBe(3);
    const log = await t.request("GET", `/api/webhooks/logs/${row!.id}`);
    expect(log.body.retry_limit).toBeNull();
    const sent = rx.requests.filter((r) => r.path === "/s").map((r) => r.at);
    expect(sent).toHaveLength(3);
    // Never earlier than the schedule (jitter only lengthens).
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(30);
    expect(sent[2]! - sent[1]!).toBeGreaterThanOrEqual(300);
  });
});
