// Bulk retry and cancel by filter (docs/operating.md) over REST and GraphQL: which rows move, which
// stay, what is refused; batches keep /healthz answering; cancelled rows stay unsent across a
// restart and a bulk retry sends them with their own webhook-id.
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { makeHookedCollection, waitForLogs } from "../support/deliveries";
import { insertLogRows, type LogRowSeed } from "../support/log_rows";
import { startReceiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp, type TestApp } from "../support/test_app";

const STATUSES = ["pending", "processing", "held", "success", "failed", "cancelled"];
let t: TestApp;

async function statuses(): Promise<Record<string, string>> {
  const rs = await t.deps.db.execute("SELECT id, status, tries FROM _webhook_logs ORDER BY id");
  return Object.fromEntries(rs.rows.map((r) => [String(r.id), `${r.status}/${r.tries}`]));
}

describe("which rows a bulk action touches", () => {
  beforeEach(async () => {
    t = await makeTestApp();
    // Two collections × every status, each tried twice.
    const seeds: LogRowSeed[] = ["a", "b"].flatMap((c) =>
      STATUSES.map((s) => ({ id: `${c}-${s}`, collection: c, status: s, tries: 2 })),
    );
    await insertLogRows(t.deps.db, seeds);
  });

  test("retry re-queues the matching failed and cancelled rows with tries = 0, nothing else", async () => {
    const before = await statuses();
    const res = await t.request("POST", "/api/webhooks/logs/retry", { filter: { collection: "a" } });
    expect(res).toMatchObject({ status: 200, body: { count: 2 } });
    expect(await statuses()).toEqual({ ...before, "a-failed": "pending/0", "a-cancelled": "pending/0" });
  });

  test("cancel cancels the matching pending and held rows; processing, finished and other rows stay", async () => {
    const before = await statuses();
    const res = await t.request("POST", "/api/webhooks/logs/cancel", { filter: { collection: "b" } });
    expect(res).toMatchObject({ status: 200, body: { count: 2 } });
    expect(await statuses()).toEqual({ ...before, "b-pending": "cancelled/2", "b-held": "cancelled/2" });
  });

  test("a status in the filter narrows further; a status the action never touches matches nothing", async () => {
    expect((await t.request("POST", "/api/webhooks/logs/retry", { filter: { status: "cancelled" } })).body).toEqual({
      count: 2,
    });
    expect((await t.request("POST", "/api/webhooks/logs/retry", { filter: { status: "success" } })).body).toEqual({
      count: 0,
    });
    expect((await t.request("POST", "/api/webhooks/logs/cancel", { filter: { status: "processing" } })).body).toEqual({
      count: 0,
    });
    expect(
      (await t.request("POST", "/api/webhooks/logs/cancel", { filter: { status: "held", since: "2000-01-01" } })).body,
    ).toEqual({ count: 2 });
  });

  test("GraphQL retryWebhookLogs and cancelWebhookLogs answer {count}", async () => {
    const retry = await t.graphql(`mutation { retryWebhookLogs(filter: {collection: "b", status: FAILED}) { count } }`);
    expect(retry.body.data.retryWebhookLogs).toEqual({ count: 1 });
    const cancel = await t.graphql(`mutation($f: WebhookLogFilter!) { cancelWebhookLogs(filter: $f) { count } }`, {
      f: { source: "TRIGGER" },
    });
    expect(cancel.body.data.cancelWebhookLogs).toEqual({ count: 5 }); // a/b pending+held, and b-failed just re-queued
    const empty = await t.graphql(`mutation { cancelWebhookLogs(filter: {}) { count } }`);
    expect(empty.body.errors[0].extensions).toMatchObject({ code: "VALIDATION", data: { filter: { code: "empty" } } });
  });

  const refused: [string, unknown, string][] = [
    ["no body", undefined, ""],
    ["no filter", {}, "filter"],
    ["an empty filter", { filter: {} }, "filter"],
    ["a filter of empty values", { filter: { collection: "", status: null } }, "filter"],
    ["a filter that is not an object", { filter: "status=failed" }, "filter"],
    ["an unknown filter key", { filter: { status: "failed", colection: "a" } }, "filter.colection"],
    ["a wrong status", { filter: { status: "broken" } }, "status"],
    ["a wrong date", { filter: { since: "last week" } }, "since"],
  ];
  for (const [name, body, field] of refused) {
    for (const action of ["retry", "cancel"]) {
      test(`${action} with ${name} is a 400${field ? ` naming ${field}` : ""}, and changes nothing`, async () => {
        const before = await statuses();
        const res = await t.request("POST", `/api/webhooks/logs/${action}`, body);
        expect(res.status).toBe(400);
        if (field) expect(res.body.data[field]).toBeDefined();
        expect(await statuses()).toEqual(before);
      });
    }
  }
});

describe("a paused target", () => {
  test("its retried deliveries wait as held, in bulk and one by one; other targets' go pending", async () => {
    t = await makeTestApp();
    for (const [name, paused] of [
      ["quiet", true],
      ["loud", false],
    ] as const) {
      expect((await t.request("POST", "/api/webhooks", { name, url: "https://example.com/hook", paused })).status).toBe(
        200,
      );
    }
    const ids = Object.fromEntries(
      (await t.deps.db.execute("SELECT name, id FROM _webhooks")).rows.map((r) => [String(r.name), String(r.id)]),
    );
    await insertLogRows(t.deps.db, [
      { id: "q1", source: "webhook", webhook: "quiet", status: "failed" },
      { id: "q2", source: "webhook", webhook: "quiet", status: "failed" },
      { id: "l1", source: "webhook", webhook: "loud", status: "failed" },
    ]);
    await t.deps.db.execute({
      sql: "UPDATE _webhook_logs SET target = 'webhook:' || ? WHERE webhook = ?",
      args: [ids.quiet!, "quiet"],
    });
    await t.deps.db.execute({
      sql: "UPDATE _webhook_logs SET target = 'webhook:' || ? WHERE webhook = ?",
      args: [ids.loud!, "loud"],
    });
    expect(
      (await t.request("POST", "/api/webhooks/logs/retry", { filter: { source: "webhook", since: "2000-01-01" } }))
        .body,
    ).toEqual({ count: 3 });
    expect((await t.request("POST", "/api/webhooks/logs/q1/retry")).status).toBe(409); // already re-queued (held)
    await t.deps.db.execute("UPDATE _webhook_logs SET status = 'failed' WHERE id = 'q2'");
    expect((await t.request("POST", "/api/webhooks/logs/q2/retry")).body).toMatchObject({ status: "held", tries: 0 });
    expect(await statuses()).toEqual({ q1: "held/0", q2: "held/0", l1: "pending/0" });
  });
});

describe("batches", () => {
  test("a bulk retry of 5,000 failed rows goes in batches while /healthz keeps answering", async () => {
    t = await makeTestApp();
    await insertLogRows(
      t.deps.db,
      Array.from({ length: 5_000 }, (_, i) => ({ id: `f${i}`, status: "failed", tries: 5, collection: "big" })),
    );
    await insertLogRows(
      t.deps.db,
      Array.from({ length: 1_000 }, (_, i) => ({ id: `s${i}`, status: "success", collection: "big" })),
    );
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: t.app.fetch });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      // When each ping was sent and answered: order, not duration, is what is checked.
      const health: { sent: number; at: number }[] = [];
      let running = true;
      const pinger = (async () => {
        while (running) {
          const sent = performance.now();
          const res = await fetch(`${base}/healthz`);
          expect(res.status).toBe(200);
          health.push({ sent, at: performance.now() });
          await Bun.sleep(1);
        }
      })();
      await Bun.sleep(5);
      const bulkStart = performance.now();
      const res = await fetch(`${base}/api/webhooks/logs/retry`, {
        method: "POST",
        headers: { authorization: "Bearer test-token", "content-type": "application/json" },
        body: JSON.stringify({ filter: { collection: "big" } }),
      });
      const bulkDone = performance.now();
      running = false;
      await pinger;
      expect(await res.json()).toEqual({ count: 5_000 });
      // Ten batches with a turn of the event loop between them: a ping sent after the bulk began
      // was answered before it ended, which one long statement would not allow.
      expect(health.filter((h) => h.sent > bulkStart && h.at < bulkDone).length).toBeGreaterThanOrEqual(1);
      const left = await t.deps.db.execute(
        "SELECT status, count(*) AS n FROM _webhook_logs GROUP BY status ORDER BY status",
      );
      expect(left.rows.map((r) => [r.status, Number(r.n)])).toEqual([
        ["pending", 5_000],
        ["success", 1_000],
      ]);
    } finally {
      server.stop(true);
    }
  });
});

describe("across a restart", () => {
  const receiver = startReceiver();
  afterAll(() => receiver.stop());

  test("cancelled deliveries stay unsent after a restart; a bulk retry then sends them with their own webhook-id", async () => {
    const dbUrl = tempDbUrl();
    // First life: no dispatcher, so the deliveries wait as pending.
    const first = await makeTestApp({ dbUrl });
    await makeHookedCollection(first, "quiet", [{ action: "create", url: `${receiver.url}/quiet` }]);
    await makeHookedCollection(first, "loud", [{ action: "create", url: `${receiver.url}/loud` }]);
    for (const c of ["quiet", "quiet", "quiet", "loud"])
      await first.request("POST", `/api/collections/${c}/records`, { title: c });
    expect(
      (await first.request("POST", "/api/webhooks/logs/cancel", { filter: { collection: "quiet" } })).body,
    ).toEqual({ count: 3 });
    first.deps.db.close();

    // Second life, on the same file, with a dispatcher: only the loud one goes out.
    const second = await makeTestApp({ dbUrl, pollMs: 20 });
    const dispatcher = await startDispatcher(second.deps);
    try {
      await receiver.waitFor(1);
      // A later delivery arrives after anything committed before it that could be sent.
      await second.request("POST", "/api/collections/loud/records", { title: "witness" });
      await receiver.waitFor(2);
      expect(receiver.requests.map((r) => r.path)).toEqual(["/loud", "/loud"]);
      const quiet = await waitForLogs(second.deps, "collection = 'quiet'", (rows) => rows.length === 3);
      expect(quiet.map((r) => r.status)).toEqual(["cancelled", "cancelled", "cancelled"]);

      expect(
        (
          await second.request("POST", "/api/webhooks/logs/retry", {
            filter: { collection: "quiet", status: "cancelled" },
          })
        ).body,
      ).toEqual({ count: 3 });
      await receiver.waitFor(5);
      const sent = receiver.requests
        .filter((r) => r.path === "/quiet")
        .map((r) => r.headers["webhook-id"])
        .sort();
      expect(sent).toEqual(quiet.map((r) => r.id).sort());
    } finally {
      await dispatcher.stop();
    }
  });
});
