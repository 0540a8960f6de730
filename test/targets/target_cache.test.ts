// The per-process cache of current targets: a delivery resolves to its target's current
// settings and signing keys, a change here is seen at once after invalidate, another
// instance's change once the cache is older than its max age, a deleted target falls back
// to what the delivery stored, and a rotation's grace period gives two keys.
import { beforeAll, expect, test } from "bun:test";
import { rowToDelivery, type Delivery } from "../../src/deliveries/delivery_row";
import { parseSecret } from "../../src/targets/signing_secret";
import { TargetCache } from "../../src/targets/target_cache";
import { silentLogger } from "../../src/runtime/logger";
import { systemClock } from "../../src/runtime/clock";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
let delivery: Delivery;
const trigger = { id: "t1", action: "create", url: "https://old.example.com/hook", headers: { "X-A": "1" } };

beforeAll(async () => {
  t = await makeTestApp();
  await t.request("POST", "/api/collections", {
    name: "posts",
    fields: [{ name: "title", type: "text" }],
    triggers: [trigger],
  });
  await t.request("POST", "/api/collections/posts/records", { title: "x" });
  delivery = rowToDelivery((await t.deps.db.execute("SELECT * FROM _webhook_logs")).rows[0]!);
});

const keyOf = async (path: string) => parseSecret((await t.request("GET", path)).body.key, "key");

test("resolves the current definition and signing key; caches until invalidated", async () => {
  const cache = new TargetCache(t.deps.db, systemClock, 60_000, silentLogger, t.deps.atRest);
  const first = await cache.resolve(delivery);
  expect(first).toMatchObject({
    url: "https://old.example.com/hook",
    headers: { "X-A": "1" },
    method: "POST",
    timeoutMs: 15000,
    jwtEnabled: false,
    paused: false,
  });
  expect(first.signingKeys).toEqual([await keyOf("/api/collections/posts/triggers/t1/secret")]);

  await t.request("PATCH", "/api/collections/posts", {
    triggers: [
      {
        ...trigger,
        url: "https://new.example.com/hook",
        method: "PUT",
        headers: { "X-B": "2" },
        timeoutMs: 2000,
        jwtEnabled: true,
      },
    ],
  });
  expect((await cache.resolve(delivery)).url).toBe("https://old.example.com/hook");
  cache.invalidate();
  expect(await cache.resolve(delivery)).toMatchObject({
    url: "https://new.example.com/hook",
    method: "PUT",
    headers: { "X-B": "2" },
    timeoutMs: 2000,
    jwtEnabled: true,
    payload: delivery.payload,
    id: delivery.id,
  });
});

test("another instance's change is seen once the cache is older than its max age", async () => {
  let now = Date.now();
  const cache = new TargetCache(t.deps.db, { now: () => new Date(now) }, 20, silentLogger, t.deps.atRest);
  await cache.resolve(delivery);
  await t.deps.db.execute(
    "UPDATE _collections SET options = json_set(options, '$.triggers[0].url', 'https://other.example.com/x')",
  );
  now += 25;
  expect((await cache.resolve(delivery)).url).toBe("https://other.example.com/x");
});

test("a rotation's grace period gives both keys, new first; grace 0 gives one", async () => {
  const cache = new TargetCache(t.deps.db, systemClock, 0, silentLogger, t.deps.atRest);
  const old = await keyOf("/api/collections/posts/triggers/t1/secret");
  await t.request("POST", "/api/collections/posts/triggers/t1/secret/rotate", { gracePeriodSeconds: 60 });
  const next = await keyOf("/api/collections/posts/triggers/t1/secret");
  expect((await cache.resolve(delivery)).signingKeys).toEqual([next, old]);
  await t.request("POST", "/api/collections/posts/triggers/t1/secret/rotate", { gracePeriodSeconds: 0 });
  expect((await cache.resolve(delivery)).signingKeys).toEqual([
    await keyOf("/api/collections/posts/triggers/t1/secret"),
  ]);
});

test("a deleted trigger: the delivery keeps what it stored, signed with the last key", async () => {
  const cache = new TargetCache(t.deps.db, systemClock, 0, silentLogger, t.deps.atRest);
  const key = await keyOf("/api/collections/posts/triggers/t1/secret");
  await t.request("PATCH", "/api/collections/posts", { triggers: [] });
  const resolved = await cache.resolve(delivery);
  expect(resolved).toMatchObject({ url: "https://old.example.com/hook", headers: {}, method: "POST" });
  expect(resolved.signingKeys).toEqual([key]);
  expect((await cache.resolve({ ...delivery, target: null })).signingKeys).toEqual([]);
});
