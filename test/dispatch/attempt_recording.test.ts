// Writing finished attempts (dispatch/attempt_recorder.ts, record_statement.ts): many in one
// statement, each attempt's values bound in a VALUES list padded to a power-of-two size; more
// than one statement holds are written by several; a row another instance took over is left
// as it is. The values must arrive exactly as given, whatever the list's size. The attempt
// becomes the row's latest; the one it replaces moves to _webhook_attempts (migration 009).
import { beforeEach, expect, test } from "bun:test";
import { AttemptRecorder, type AttemptRecord } from "../../src/dispatch/attempt_recorder";
import { claimDueDeliveries } from "../../src/dispatch/delivery_leases";
import { RECORD_ROWS_MAX } from "../../src/deliveries/record_statement";
import { silentLogger } from "../../src/runtime/logger";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp();
  const res = await t.request("POST", "/api/collections", {
    name: "posts",
    fields: [{ name: "n", type: "number" }],
    triggers: [{ action: "create", url: "http://receiver.example/hook" }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
});

async function claimed(count: number): Promise<string[]> {
  await t.deps.db.execute(
    `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${count}) INSERT INTO posts (n) SELECT n FROM s`,
  );
  const ds = await claimDueDeliveries(t.deps.db, {
    owner: "me",
    now: new Date(Date.now() + 1_000),
    limit: count,
    leaseMs: 60_000,
    hostLimit: count,
    hostBusy: new Map(),
  });
  expect(ds).toHaveLength(count);
  return ds.map((d) => d.id);
}

// Every field differs per attempt, and the texts carry quotes, commas and non-ASCII characters.
function attempt(id: string, i: number): AttemptRecord {
  const retry = i % 3 === 1;
  return {
    id,
    target: null,
    url: `http://receiver.example/hook?i=${i}`,
    hold: false,
    status: retry ? "pending" : i % 3 === 2 ? "failed" : "success",
    http_status: retry ? null : 200 + (i % 300),
    error_msg: retry ? `network error: '${i}', "x"` : null,
    response_body: `ok ${i} — ✓`,
    duration_ms: i,
    tries: 1,
    next_attempt_at: new Date(Date.UTC(2030, 0, 1, 0, 0, 0, i)).toISOString(),
    updated_at: new Date(Date.UTC(2029, 0, 1, 0, 0, 1, i)).toISOString(),
    last_attempt_at: new Date(Date.UTC(2029, 0, 1, 0, 0, 0, i)).toISOString(),
  };
}

async function recordAll(attempts: AttemptRecord[]): Promise<number> {
  const recorder = new AttemptRecorder(t.deps.db, "me", silentLogger, t.deps.config);
  let written = 0;
  for (const a of attempts) recorder.record(a, () => written++);
  await recorder.flush();
  return written;
}

test.each([1, 7, 8, 9, 64, 65])(
  "%i attempts at once: each row gets exactly its own values, its latest attempt in the history",
  async (count) => {
    const ids = await claimed(count + 5);
    const attempts = ids.slice(0, count).map(attempt);
    expect(await recordAll(attempts)).toBe(count);
    const rows = (
      await t.deps.db.execute(
        "SELECT id, status, url, http_status, error_msg, response_body, duration_ms, tries, next_attempt_at, updated_at, last_attempt_at, lease_owner FROM _webhook_logs",
      )
    ).rows;
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    for (const a of attempts) {
      expect({ ...byId.get(a.id) }).toEqual({
        id: a.id,
        status: a.status,
        url: a.url,
        http_status: a.http_status,
        error_msg: a.error_msg,
        response_body: a.response_body,
        duration_ms: a.duration_ms,
        tries: 1,
        next_attempt_at: a.next_attempt_at,
        updated_at: a.updated_at,
        last_attempt_at: a.last_attempt_at,
        lease_owner: null,
      });
    }
    // The rest (and the list's padding) touched nothing.
    expect(rows.filter((r) => r.status === "processing" && r.lease_owner === "me")).toHaveLength(5);
    const history = (await t.deps.db.execute("SELECT delivery_id, n, at, response_body FROM _webhook_attempt_history"))
      .rows;
    expect(history).toHaveLength(count);
    for (const h of history)
      expect([h.n, h.at, h.response_body]).toEqual([
        1,
        byId.get(String(h.delivery_id))!.last_attempt_at,
        byId.get(String(h.delivery_id))!.response_body,
      ]);
    // A first attempt is the row's own: nothing was written to the table of earlier ones.
    expect((await t.deps.db.execute("SELECT count(*) AS n FROM _webhook_attempts")).rows[0]!.n).toBe(0);
  },
);

test(`more than ${RECORD_ROWS_MAX} attempts queued at once are all written, and each one's callback runs`, async () => {
  const count = RECORD_ROWS_MAX + 76;
  const ids = await claimed(count);
  expect(await recordAll(ids.map(attempt))).toBe(count);
  const states = (await t.deps.db.execute("SELECT status, count(*) AS n FROM _webhook_logs GROUP BY 1 ORDER BY 1"))
    .rows;
  expect(states.map((r) => [r.status, Number(r.n)])).toEqual([
    ["failed", 366],
    ["pending", 367],
    ["success", 367],
  ]);
  expect(Number((await t.deps.db.execute("SELECT count(*) AS n FROM _webhook_attempt_history")).rows[0]!.n)).toBe(
    count,
  );
});

test("a row another instance has taken over is left to it: no state, no history written", async () => {
  const [mine, taken] = await claimed(2);
  await t.deps.db.execute({ sql: "UPDATE _webhook_logs SET lease_owner = 'other' WHERE id = ?", args: [taken!] });
  await recordAll([attempt(mine!, 0), attempt(taken!, 3)]);
  const rows = (await t.deps.db.execute("SELECT id, status, lease_owner FROM _webhook_logs ORDER BY id")).rows.map(
    (r) => ({ ...r }),
  );
  expect(rows).toContainEqual({ id: mine!, status: "success", lease_owner: null });
  expect(rows).toContainEqual({ id: taken!, status: "processing", lease_owner: "other" });
  const history = (await t.deps.db.execute("SELECT delivery_id FROM _webhook_attempt_history")).rows.map(
    (r) => r.delivery_id,
  );
  expect(history).toEqual([mine!]);
});

test("a second attempt moves the first into the table of earlier ones; the history reads both, in order", async () => {
  const [id] = await claimed(1);
  const first = attempt(id!, 1); // a retry: pending
  await recordAll([first]);
  await t.deps.db.execute({
    sql: "UPDATE _webhook_logs SET status = 'processing', lease_owner = 'me' WHERE id = ?",
    args: [id!],
  });
  const second = { ...attempt(id!, 0), tries: 2 };
  await recordAll([second]);
  const earlier = (
    await t.deps.db.execute(
      "SELECT n, at, url, http_status, error_msg, response_body, duration_ms FROM _webhook_attempts",
    )
  ).rows.map((r) => ({ ...r }));
  expect(earlier).toEqual([
    {
      n: 1,
      at: first.last_attempt_at,
      url: first.url,
      http_status: null,
      error_msg: first.error_msg,
      response_body: first.response_body,
      duration_ms: 1,
    },
  ]);
  const history = (
    await t.deps.db.execute({
      sql: "SELECT n, at, http_status FROM _webhook_attempt_history WHERE delivery_id = ? ORDER BY n",
      args: [id!],
    })
  ).rows.map((r) => ({ ...r }));
  expect(history).toEqual([
    { n: 1, at: first.last_attempt_at, http_status: null },
    { n: 2, at: second.last_attempt_at, http_status: 200 },
  ]);
});
