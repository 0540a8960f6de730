// The claim's two forms (dispatch/claim_statement.ts): plain while every host has room, shared
// out per host when one host's free share is small, and expired leases taken only when asked.
// Either way no host gets more than its free share, oldest due first.
import { beforeEach, expect, test } from "bun:test";
import { claimDueDeliveries, type ClaimOptions } from "../../src/dispatch/delivery_leases";
import { makeTestApp, type TestApp } from "../support/test_app";

const A = "a.example:8001";
const B = "b.example:8002";
let t: TestApp;

beforeEach(async () => {
  t = await makeTestApp();
  const res = await t.request("POST", "/api/collections", {
    name: "posts",
    fields: [{ name: "n", type: "number" }],
    triggers: [
      { action: "create", url: `http://${A}/hook` },
      { action: "create", url: `http://${B}/hook` },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await t.deps.db.execute(
    "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 40) INSERT INTO posts (n) SELECT n FROM s",
  );
});

const claim = (o: Partial<ClaimOptions>) =>
  claimDueDeliveries(t.deps.db, {
    owner: "me",
    now: new Date(Date.now() + 1_000),
    limit: 100,
    leaseMs: 60_000,
    hostLimit: 100,
    hostBusy: new Map(),
    ...o,
  });
const perHost = (ds: { targetHost: string }[]) => ({
  a: ds.filter((d) => d.targetHost === A).length,
  b: ds.filter((d) => d.targetHost === B).length,
});

test("plain: oldest due first, up to the limit, each row once, marked processing under this owner", async () => {
  const first = await claim({ limit: 10 });
  const oldest = (await t.deps.db.execute("SELECT id FROM _webhook_logs ORDER BY rowid LIMIT 10")).rows.map(
    (r) => r.id,
  );
  expect(first.map((d) => d.id).sort()).toEqual(oldest.map(String).sort());
  const rest = await claim({ limit: 500 });
  expect(rest).toHaveLength(70);
  expect(new Set([...first, ...rest].map((d) => d.id)).size).toBe(80);
  const states = (await t.deps.db.execute("SELECT status, lease_owner, count(*) AS n FROM _webhook_logs GROUP BY 1, 2"))
    .rows;
  expect(states.map((r) => [r.status, r.lease_owner, Number(r.n)])).toEqual([["processing", "me", 80]]);
});

test("a host at its share is passed over; the limit is cut to the smallest free share left", async () => {
  expect(perHost(await claim({ hostBusy: new Map([[A, 100]]) }))).toEqual({ a: 0, b: 40 });
  expect(
    perHost(
      await claim({
        hostBusy: new Map([
          [A, 60],
          [B, 100],
        ]),
      }),
    ),
  ).toEqual({ a: 40, b: 0 });
});

test("a plain claim never gives a host more than its free share, wherever its rows are", async () => {
  const got = await claim({ hostBusy: new Map([[A, 50]]), limit: 100 });
  expect(got).toHaveLength(50);
  expect(perHost(got).a).toBeLessThanOrEqual(50);
});

test("shared out when one host has little room: that host gets its few, the others fill the claim", async () => {
  const got = perHost(await claim({ hostBusy: new Map([[A, 97]]), limit: 100 }));
  expect(got).toEqual({ a: 3, b: 40 });
});

test("expired leases are taken only by a claim that asks for them, and then shared out like the rest", async () => {
  await t.deps.db.execute(
    "UPDATE _webhook_logs SET status = 'processing', lease_owner = 'dead', lease_expires_at = '2000-01-01T00:00:00.000Z' WHERE target_host = 'a.example:8001'",
  );
  expect(perHost(await claim({}))).toEqual({ a: 0, b: 40 });
  const taken = await claim({ expiredLeases: true, hostBusy: new Map([[B, 40]]) });
  expect(perHost(taken)).toEqual({ a: 40, b: 0 });
  const owners = (await t.deps.db.execute("SELECT DISTINCT lease_owner FROM _webhook_logs")).rows.map(
    (r) => r.lease_owner,
  );
  expect(owners).toEqual(["me"]);
});

test("a lease lasts leaseMs, or a delivery's own timeout plus 5 s when that is longer", async () => {
  await t.deps.db.execute("UPDATE _webhook_logs SET timeout_ms = 90000 WHERE target_host = 'a.example:8001'");
  const now = new Date("2030-01-01T00:00:00.000Z");
  for (const expiredLeases of [false, true]) {
    await t.deps.db.execute("UPDATE _webhook_logs SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL");
    expect(await claim({ now, leaseMs: 60_000, expiredLeases })).toHaveLength(80);
    const leases = (
      await t.deps.db.execute(
        "SELECT target_host, lease_expires_at, count(*) AS n FROM _webhook_logs GROUP BY 1, 2 ORDER BY 1",
      )
    ).rows;
    expect(leases.map((r) => [r.target_host, r.lease_expires_at, Number(r.n)])).toEqual([
      [A, "2030-01-01T00:01:35.000Z", 40],
      [B, "2030-01-01T00:01:00.000Z", 40],
    ]);
  }
});
