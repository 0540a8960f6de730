// GET /metrics: who may scrape it, the documented names (docs/operating.md) as a Prometheus parser reads them, the
// HTTP counter by route pattern, queue gauges read from the database, and cron run counters.
import { beforeAll, describe, expect, test } from "bun:test";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { makeHookedCollection, settled, waitForLogs } from "../support/deliveries";
import { insertLogRows } from "../support/log_rows";
import { startReceiver } from "../support/receiver";
import { sample, scrape, total } from "../support/prometheus";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ metricsToken: "scrape-me" });
});

describe("access", () => {
  const cases: [string, Record<string, string>, number][] = [
    ["no token", {}, 401],
    ["the admin token", { authorization: "Bearer test-token" }, 200],
    ["HOOKD_METRICS_TOKEN as Bearer", { authorization: "Bearer scrape-me" }, 200],
    ["HOOKD_METRICS_TOKEN as X-API-Key", { "x-api-key": "scrape-me" }, 200],
    ["a wrong token", { authorization: "Bearer scrape-you" }, 401],
  ];
  for (const [name, headers, status] of cases) {
    test(`${name} → ${status}`, async () => {
      const res = await t.app.fetch(new Request("http://hookd.test/metrics", { headers }));
      expect(res.status).toBe(status);
      if (status === 200) expect(res.headers.get("content-type")).toContain("text/plain");
    });
  }

  test("the metrics token opens /metrics only", async () => {
    for (const path of ["/api/collections", "/api/webhooks/logs", "/graphql?query={webhooks{name}}"]) {
      const res = await t.app.fetch(
        new Request(`http://hookd.test${path}`, { headers: { authorization: "Bearer scrape-me" } }),
      );
      expect(res.status).toBe(401);
    }
  });

  test("without HOOKD_METRICS_TOKEN only the admin token scrapes", async () => {
    const plain = await makeTestApp();
    expect(
      (await plain.app.fetch(new Request("http://hookd.test/metrics", { headers: { authorization: "Bearer " } })))
        .status,
    ).toBe(401);
    expect(
      (
        await plain.app.fetch(
          new Request("http://hookd.test/metrics", { headers: { authorization: "Bearer test-token" } }),
        )
      ).status,
    ).toBe(200);
  });
});

describe("the scrape", () => {
  test("has every documented name with its type, and the process's CPU and memory", async () => {
    const m = await scrape(t);
    const want: [string, string][] = [
      ["hookd_deliveries_total", "COUNTER"],
      ["hookd_delivery_attempts_total", "COUNTER"],
      ["hookd_delivery_attempt_duration_seconds", "HISTOGRAM"],
      ["hookd_deliveries_queued", "GAUGE"],
      ["hookd_delivery_backlog_seconds", "GAUGE"],
      ["hookd_targets_disabled", "GAUGE"],
      ["hookd_cron_runs_total", "COUNTER"],
      ["hookd_http_requests_total", "COUNTER"],
      ["process_cpu_seconds_total", "COUNTER"],
      ["process_resident_memory_bytes", "GAUGE"],
    ];
    for (const [name, type] of want) expect(`${name} ${m.get(name)?.type}`).toBe(`${name} ${type}`);
  });

  test("requests are counted by method, route pattern and status; raw paths never become labels", async () => {
    const t = await makeTestApp();
    await t.request("POST", "/api/collections", { name: "posts", fields: [{ name: "title", type: "text" }] });
    await t.request("GET", "/api/collections/posts/records/secret-record-id");
    await t.request("GET", "/api/collections/posts/records/other-id");
    await t.request("GET", "/no/such/place-42");
    await t.graphql("{ webhooks { name } }");
    await t.app.fetch(new Request("http://hookd.test/api/collections"));
    const res = await t.app.fetch(
      new Request("http://hookd.test/metrics", { headers: { authorization: "Bearer test-token" } }),
    );
    const text = await res.text();
    expect(text).not.toContain("secret-record-id");
    expect(text).not.toContain("place-42");
    const m = await scrape(t);
    expect(
      sample(m, "hookd_http_requests_total", {
        method: "GET",
        route: "/api/collections/:name/records/:id",
        status: "404",
      }),
    ).toBe(2);
    expect(sample(m, "hookd_http_requests_total", { method: "POST", route: "/api/collections", status: "200" })).toBe(
      1,
    );
    expect(sample(m, "hookd_http_requests_total", { method: "GET", route: "/api/collections", status: "401" })).toBe(1);
    expect(sample(m, "hookd_http_requests_total", { method: "POST", route: "/graphql", status: "200" })).toBe(1);
    expect(sample(m, "hookd_http_requests_total", { method: "GET", route: "unmatched", status: "404" })).toBe(1);
    expect(
      sample(m, "hookd_http_requests_total", { method: "GET", route: "/metrics", status: "200" }),
    ).toBeGreaterThanOrEqual(1);
  });

  test("queued deliveries and the backlog's age come from the database at scrape time", async () => {
    const q = await makeTestApp();
    const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    await insertLogRows(q.deps.db, [
      { id: "p1", status: "pending", next_attempt_at: ago(30) },
      { id: "p2", status: "pending", next_attempt_at: new Date(Date.now() + 60_000).toISOString() },
      { id: "h1", status: "held" },
      { id: "x1", status: "processing" },
      { id: "s1", status: "success" },
    ]);
    const m = await scrape(q);
    expect([
      sample(m, "hookd_deliveries_queued", { status: "pending" }),
      sample(m, "hookd_deliveries_queued", { status: "held" }),
      sample(m, "hookd_deliveries_queued", { status: "processing" }),
    ]).toEqual([2, 1, 1]);
    const backlog = sample(m, "hookd_delivery_backlog_seconds");
    expect(backlog).toBeGreaterThanOrEqual(30);
    expect(backlog).toBeLessThan(40);
    await q.deps.db.execute("UPDATE _webhook_logs SET status = 'success'");
    const after = await scrape(q);
    expect([
      sample(after, "hookd_deliveries_queued", { status: "pending" }),
      sample(after, "hookd_delivery_backlog_seconds"),
    ]).toEqual([0, 0]);
  });

  test("disabled targets are counted while they exist", async () => {
    const d = await makeTestApp();
    for (const name of ["a", "b"]) await d.request("POST", "/api/webhooks", { name, url: "https://example.com/hook" });
    const ids = (await d.deps.db.execute("SELECT id FROM _webhooks ORDER BY name")).rows.map((r) => String(r.id));
    const disable = (target: string) =>
      d.deps.db.execute({
        sql: "INSERT INTO _target_health (target, disabled_at, disabled_reason) VALUES (?, ?, '410 Gone')",
        args: [target, new Date().toISOString()],
      });
    await disable(`webhook:${ids[0]}`);
    await disable("webhook:deleted-long-ago");
    expect(sample(await scrape(d), "hookd_targets_disabled")).toBe(1);
    await d.request("DELETE", "/api/webhooks/a");
    expect(sample(await scrape(d), "hookd_targets_disabled")).toBe(0);
  });

  test("cron runs are counted by how they ended", async () => {
    const c = await makeTestApp();
    await c.request("POST", "/api/cron", {
      name: "ok",
      schedule: "0 0 1 1 *",
      type: "sql",
      active: false,
      sql: "SELECT 1",
    });
    await c.request("POST", "/api/cron", {
      name: "bad",
      schedule: "0 0 1 1 *",
      type: "sql",
      active: false,
      sql: "DELETE FROM no_such_table",
    });
    for (const job of ["ok", "ok", "bad"]) expect((await c.request("POST", `/api/cron/${job}/run`)).status).toBe(200);
    const m = await scrape(c);
    expect([
      sample(m, "hookd_cron_runs_total", { status: "success" }),
      sample(m, "hookd_cron_runs_total", { status: "failed" }),
    ]).toEqual([2, 1]);
  });
});

test("delivery and attempt counters move as deliveries happen", async () => {
  const receiver = startReceiver();
  // /ok answers 200; /flaky 503 once, then 200; /gone 400 (final).
  const flaky = new Set<string>();
  receiver.respond = (r) => {
    if (r.path === "/gone") return { status: 400 };
    if (r.path === "/flaky" && !flaky.has(r.json.id)) return (flaky.add(r.json.id), { status: 503 });
    return { status: 200 };
  };
  const d = await makeTestApp({ retryBaseMs: 20 });
  const dispatcher = await startDispatcher(d.deps);
  try {
    const before = await scrape(d);
    expect(sample(before, "hookd_deliveries_total", { source: "trigger", status: "success" })).toBe(0);
    await makeHookedCollection(d, "ok", [{ action: "create", url: `${receiver.url}/ok` }]);
    await makeHookedCollection(d, "flaky", [{ action: "create", url: `${receiver.url}/flaky` }]);
    await makeHookedCollection(d, "gone", [{ action: "create", url: `${receiver.url}/gone` }]);
    for (const c of ["ok", "ok", "flaky", "gone"])
      await d.request("POST", `/api/collections/${c}/records`, { title: c });
    await waitForLogs(d.deps, "1 = 1", (rows) => rows.length === 4 && settled(rows));
    const m = await scrape(d);
    expect(total(m, "hookd_deliveries_total", { source: "trigger", status: "success" })).toBe(3);
    expect(total(m, "hookd_deliveries_total", { source: "trigger", status: "failed" })).toBe(1);
    expect(total(m, "hookd_delivery_attempts_total", { source: "trigger", outcome: "success" })).toBe(3);
    expect(total(m, "hookd_delivery_attempts_total", { source: "trigger", outcome: "error" })).toBe(1);
    expect(total(m, "hookd_delivery_attempts_total", { source: "trigger", outcome: "rejected" })).toBe(1);
    // By target: <collection>/<trigger id>.
    const [ok] = (await d.request("GET", "/api/collections/ok")).body.options.triggers;
    const [flakyTrigger] = (await d.request("GET", "/api/collections/flaky")).body.options.triggers;
    expect(sample(m, "hookd_deliveries_total", { status: "success", target: `ok/${ok.id}` })).toBe(2);
    expect(sample(m, "hookd_delivery_attempts_total", { outcome: "error", target: `flaky/${flakyTrigger.id}` })).toBe(
      1,
    );
    expect(Number(m.get("hookd_delivery_attempt_duration_seconds")!.metrics[0]!.count)).toBe(5);
    expect(sample(m, "hookd_deliveries_queued", { status: "pending" })).toBe(0);
  } finally {
    await dispatcher.stop();
    await receiver.stop();
  }
});
