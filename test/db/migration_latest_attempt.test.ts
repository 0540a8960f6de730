// Migration 009 upgrades a database of the previous release in place: every attempt it holds
// is still listed, the same, in order; the latest of each delivery now lives in its log row,
// and the history keeps counting from there. Reading a delivery's history stays a lookup by id.
import { expect, test } from "bun:test";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

test("a previous release's attempts are all still listed, the same; the latest moves into its log row", async () => {
  const url = tempDbUrl();
  const old = await openDatabase(url);
  await migrate(
    old,
    MIGRATIONS.filter((m) => m.version <= 8),
  );
  // Attempts written as the previous release wrote them: each raise of tries, by its trigger.
  for (const [id, attempts] of [
    ["three", 3],
    ["one", 1],
    ["none", 0],
  ] as const) {
    await old.execute({
      sql: `INSERT INTO _webhook_logs (id, source, url, next_attempt_at, created_at, updated_at) VALUES (?, 'webhook', 'http://a/0', ?, ?, ?)`,
      args: [id, at(0), at(0), at(0)],
    });
    for (let n = 1; n <= attempts; n++) {
      const ok = n === attempts;
      await old.execute({
        sql: "UPDATE _webhook_logs SET tries = ?, url = ?, status = ?, http_status = ?, error_msg = ?, response_body = ?, duration_ms = ?, updated_at = ? WHERE id = ?",
        args: [
          n,
          `http://a/${n}`,
          ok ? "success" : "pending",
          ok ? 200 : 503,
          ok ? null : "HTTP 503",
          `body ${n}`,
          100 * n,
          at(10 * n),
          id,
        ],
      });
    }
  }
  const before = (
    await old.execute(
      "SELECT delivery_id, n, at, url, http_status, duration_ms, error_msg, response_body FROM _webhook_attempts ORDER BY delivery_id, n",
    )
  ).rows.map((r) => ({ ...r }));
  expect(before).toHaveLength(4);
  old.close();

  const t = await makeTestApp({ dbUrl: url });
  for (const id of ["three", "one", "none"]) {
    const res = await t.request("GET", `/api/webhooks/logs/${id}/attempts`);
    expect(res.status).toBe(200);
    const expected = before
      .filter((r) => r.delivery_id === id)
      .map((r) => ({
        n: r.n,
        at: r.at,
        url: r.url,
        httpStatus: r.http_status,
        durationMs: r.duration_ms,
        errorMsg: r.error_msg,
        responseBody: r.response_body,
      }));
    expect(res.body.items).toEqual(expected);
    expect(res.body.totalItems).toBe(expected.length);
  }
  const earlier = (
    await t.deps.db.execute("SELECT delivery_id, n FROM _webhook_attempts ORDER BY delivery_id, n")
  ).rows.map((r) => `${r.delivery_id}#${r.n}`);
  expect(earlier).toEqual(["three#1", "three#2"]);
  const latest = (await t.deps.db.execute("SELECT id, last_attempt_at FROM _webhook_logs ORDER BY id")).rows.map(
    (r) => ({ ...r }),
  );
  expect(latest).toEqual([
    { id: "none", last_attempt_at: null },
    { id: "one", last_attempt_at: new Date(Date.parse(at(10)) - 100).toISOString() },
    { id: "three", last_attempt_at: new Date(Date.parse(at(30)) - 300).toISOString() },
  ]);

  // A writer that does not know last_attempt_at (an older hookd, a SQL shell) still makes an attempt of it.
  await t.deps.db.execute({
    sql: "UPDATE _webhook_logs SET tries = 2, url = 'http://b/2', http_status = 500, duration_ms = 50, updated_at = ? WHERE id = 'one'",
    args: [at(40)],
  });
  const one = (await t.request("GET", "/api/webhooks/logs/one/attempts")).body.items;
  expect(one.map((a: any) => [a.n, a.at, a.url, a.httpStatus])).toEqual([
    [1, new Date(Date.parse(at(10)) - 100).toISOString(), "http://a/1", 200],
    [2, new Date(Date.parse(at(40)) - 50).toISOString(), "http://b/2", 500],
  ]);
  t.deps.db.close();
});

test("a delivery's history is read by id from both tables, never by scanning", async () => {
  const t = await makeTestApp();
  const plan = (
    await t.deps.db.execute({
      sql: "EXPLAIN QUERY PLAN SELECT * FROM _webhook_attempt_history WHERE delivery_id = ? ORDER BY n",
      args: ["x"],
    })
  ).rows.map((r) => String(r.detail));
  expect(plan.some((d) => /^SCAN _webhook_(logs|attempts)\b/.test(d))).toBe(false);
  expect(plan.join(" | ")).toContain("_webhook_attempts");
  expect(plan.join(" | ")).toContain("_webhook_logs");
});
