// Health arithmetic (pure) and the health and attempt-history statements against a real
// database: counting failures since the last success, disabling after HOOKD_DISABLE_AFTER
// with HOOKD_DISABLE_MIN_FAILURES failures, at once on 410 Gone, never when turned off.
import { beforeEach, describe, expect, test } from "bun:test";
import { disabledTargets, healthStatement } from "../../src/targets/health_statement";
import { healthDeltas, SuccessThrottle, type FinishedFacts } from "../../src/targets/health_update";
import { NO_HEALTH, withoutHealth } from "../../src/targets/target_health";
import { makeTestApp, type TestApp } from "../support/test_app";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const done = (
  target: string | null,
  status: FinishedFacts["status"],
  s: number,
  http_status: number | null = null,
): FinishedFacts => ({ target, status, http_status, updated_at: at(s) });

describe("healthDeltas", () => {
  test("failures after the last success of the flush replace the stored count", () => {
    expect(
      healthDeltas([done("a", "failed", 1), done("a", "success", 2), done("a", "failed", 3), done("a", "failed", 4)]),
    ).toEqual([{ target: "a", at: at(4), status: "failed", reset: 1, failures: 2, failingSince: at(3), gone: 0 }]);
  });

  test("without a success they add to it; pending retries and rows without a target do not count", () => {
    expect(
      healthDeltas([
        done("a", "pending", 1),
        done(null, "failed", 2),
        done("a", "failed", 3, 410),
        done("b", "success", 4),
      ]),
    ).toEqual([
      { target: "a", at: at(3), status: "failed", reset: 0, failures: 1, failingSince: at(3), gone: 1 },
      { target: "b", at: at(4), status: "success", reset: 1, failures: 0, failingSince: null, gone: 0 },
    ]);
  });
});

describe("SuccessThrottle", () => {
  test("a target that keeps succeeding is written once per interval; failures and the success after them at once", () => {
    const throttle = new SuccessThrottle(1000);
    const ok = healthDeltas([done("a", "success", 1)]);
    const bad = healthDeltas([done("a", "failed", 1)]);
    expect(throttle.filter(ok, 0)).toHaveLength(1);
    expect(throttle.filter(ok, 500)).toHaveLength(0);
    expect(throttle.filter(bad, 600)).toHaveLength(1);
    expect(throttle.filter(bad, 700)).toHaveLength(1);
    expect(throttle.filter(ok, 800)).toHaveLength(1);
    expect(throttle.filter(ok, 1700)).toHaveLength(0);
    expect(throttle.filter(ok, 1800)).toHaveLength(1);
  });
});

describe("healthStatement", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
  });
  const policy = { disableAfterMs: 10_000, disableMinFailures: 3 };
  async function flush(records: FinishedFacts[], nowS: number, p = policy) {
    const now = new Date(at(nowS));
    return disabledTargets(await t.deps.db.execute(healthStatement(healthDeltas(records), p, now)!), now);
  }
  const health = async (target: string) => ({
    ...(await t.deps.db.execute({ sql: "SELECT * FROM _target_health WHERE target = ?", args: [target] })).rows[0],
  });

  test("counts failures across flushes and resets on success", async () => {
    await flush([done("a", "failed", 1)], 1);
    await flush([done("a", "failed", 2)], 2);
    expect(await health("a")).toMatchObject({
      consecutive_failures: 2,
      failing_since: at(1),
      last_status: "failed",
      last_delivery_at: at(2),
    });
    await flush([done("a", "success", 3)], 3);
    expect(await health("a")).toMatchObject({
      consecutive_failures: 0,
      failing_since: null,
      last_status: "success",
      disabled_at: null,
    });
  });

  test("disables only after both the duration and the count, once", async () => {
    expect(await flush([done("a", "failed", 0), done("a", "failed", 1), done("a", "failed", 2)], 2)).toEqual([]);
    expect(await flush([done("a", "failed", 9)], 9)).toEqual([]);
    const disabled = await flush([done("a", "failed", 11)], 11);
    expect(disabled).toEqual([
      { target: "a", reason: `deliveries kept failing since ${at(0)} (5 in a row, no success)` },
    ]);
    expect(await health("a")).toMatchObject({ disabled_at: at(11) });
    expect(await flush([done("a", "failed", 12)], 12)).toEqual([]);
  });

  test("many failures in a short time do not disable; a long time with few failures does not either", async () => {
    expect(
      await flush(
        Array.from({ length: 20 }, (_, i) => done("a", "failed", i / 10)),
        2,
      ),
    ).toEqual([]);
    expect(await flush([done("b", "failed", 0)], 0)).toEqual([]);
    expect(await flush([done("b", "failed", 30)], 30)).toEqual([]);
  });

  test("410 Gone disables at once, even with auto-disable off; off means never otherwise", async () => {
    const off = { disableAfterMs: 0, disableMinFailures: 1 };
    expect(
      await flush(
        Array.from({ length: 20 }, (_, i) => done("a", "failed", i)),
        1000,
        off,
      ),
    ).toEqual([]);
    expect(await flush([done("b", "failed", 1, 410)], 1, off)).toEqual([
      { target: "b", reason: "the receiver answered 410 Gone" },
    ]);
  });
});

describe("the attempt history trigger", () => {
  test("each raise of tries appends an attempt with the row's URL and result; n keeps counting after a retry resets tries", async () => {
    const t = await makeTestApp();
    await t.deps.db.execute(
      `INSERT INTO _webhook_logs (id, source, url, next_attempt_at, created_at, updated_at) VALUES ('d1', 'webhook', 'http://a/0', '${at(0)}', '${at(0)}', '${at(0)}')`,
    );
    const attempt = (tries: number, url: string, status: number | null, s: number) =>
      t.deps.db.execute({
        sql: "UPDATE _webhook_logs SET tries = ?, url = ?, http_status = ?, error_msg = ?, response_body = ?, duration_ms = 1500, updated_at = ? WHERE id = 'd1'",
        args: [tries, url, status, status === 200 ? null : `HTTP ${status}`, `body ${tries}`, at(s)],
      });
    await attempt(1, "http://a/1", 500, 10);
    await attempt(2, "http://a/2", 500, 20);
    await t.deps.db.execute("UPDATE _webhook_logs SET tries = 0, status = 'pending' WHERE id = 'd1'"); // a manual retry
    await t.deps.db.execute("UPDATE _webhook_logs SET status = 'processing' WHERE id = 'd1'"); // a claim
    await attempt(1, "http://b/1", 200, 30);
    const rows = (
      await t.deps.db.execute(
        "SELECT n, at, url, http_status, duration_ms, error_msg, response_body FROM _webhook_attempt_history WHERE delivery_id = 'd1' ORDER BY n",
      )
    ).rows.map((r) => ({ ...r }));
    expect(rows).toEqual([
      {
        n: 1,
        at: new Date(Date.parse(at(10)) - 1500).toISOString(),
        url: "http://a/1",
        http_status: 500,
        duration_ms: 1500,
        error_msg: "HTTP 500",
        response_body: "body 1",
      },
      {
        n: 2,
        at: new Date(Date.parse(at(20)) - 1500).toISOString(),
        url: "http://a/2",
        http_status: 500,
        duration_ms: 1500,
        error_msg: "HTTP 500",
        response_body: "body 2",
      },
      {
        n: 3,
        at: new Date(Date.parse(at(30)) - 1500).toISOString(),
        url: "http://b/1",
        http_status: 200,
        duration_ms: 1500,
        error_msg: null,
        response_body: "body 1",
      },
    ]);
  });

  test("deleting a delivery (retention, a SQL shell) deletes its attempts", async () => {
    const t = await makeTestApp();
    for (const id of ["keep", "drop"]) {
      await t.deps.db.execute(
        `INSERT INTO _webhook_logs (id, source, url, next_attempt_at, created_at, updated_at) VALUES ('${id}', 'webhook', 'http://a', '${at(0)}', '${at(0)}', '${at(0)}')`,
      );
      await t.deps.db.execute(`UPDATE _webhook_logs SET tries = 1, updated_at = '${at(1)}' WHERE id = '${id}'`);
    }
    await t.deps.db.execute("DELETE FROM _webhook_logs WHERE id = 'drop'");
    expect(
      (await t.deps.db.execute("SELECT delivery_id FROM _webhook_attempt_history")).rows.map((r) => r.delivery_id),
    ).toEqual(["keep"]);
  });
});

test("withoutHealth keeps the definition only (the cron scheduler re-arms a job when its definition changes, not its health)", () => {
  expect(
    withoutHealth({ name: "job", schedule: "* * * * *", ...NO_HEALTH, lastDeliveryAt: at(1), consecutiveFailures: 3 }),
  ).toEqual({ name: "job", schedule: "* * * * *" });
});
