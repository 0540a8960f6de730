// The throttle's gate on its own (dispatch/throttle.ts) over a real database and a given
// clock: slots 1/rate apart, deferral spread one slot apart, maxInFlight counted until an
// attempt finishes, and a limit raised after slots were booked under a slower one.
import { expect, test } from "bun:test";
import type { Delivery } from "../../src/deliveries/delivery_row";
import { runRetentionPass } from "../../src/deliveries/log_retention";
import { Throttle } from "../../src/dispatch/throttle";
import type { TargetControl } from "../../src/targets/target_control";
import { makeTestApp } from "../support/test_app";

const t = await makeTestApp();
const d = { target: "webhook:w1", url: "http://127.0.0.1:9/" } as Delivery;
const limits = (rateLimit: number | null, maxInFlight: number | null = null): TargetControl => ({
  transform: null,
  rateLimit,
  maxInFlight,
});

test("rate slots are 1/rate apart: the first two go (the second after a wait), the next are deferred a slot apart", async () => {
  const throttle = new Throttle(t.deps.db);
  const now = 1_000_000;
  expect(await throttle.admit(d, limits(10), now)).toEqual({ send: true, waitMs: 0 });
  expect(await throttle.admit(d, limits(10), now)).toEqual({ send: true, waitMs: 100 });
  expect(await throttle.admit(d, limits(10), now)).toEqual({ send: false, until: new Date(now + 200) });
  expect(await throttle.admit(d, limits(10), now)).toEqual({ send: false, until: new Date(now + 300) });
  // At its time the deferred one finds its slot.
  expect(await throttle.admit(d, limits(10), now + 200)).toEqual({ send: true, waitMs: 0 });
});

test("a limit raised after slots were booked under a slower one starts afresh", async () => {
  const throttle = new Throttle(t.deps.db);
  const slow = { ...d, target: "webhook:w2" } as Delivery;
  const now = 2_000_000;
  expect((await throttle.admit(slow, limits(0.01), now)).send).toBe(true);
  expect((await throttle.admit(slow, limits(0.01), now + 10)).send).toBe(false);
  expect(await throttle.admit(slow, limits(100), now + 20)).toEqual({ send: true, waitMs: 0 });
});

test("maxInFlight holds the next back until an attempt finishes", async () => {
  const throttle = new Throttle(t.deps.db);
  const capped = { ...d, target: "webhook:w3" } as Delivery;
  const now = 3_000_000;
  expect((await throttle.admit(capped, limits(null, 2), now)).send).toBe(true);
  expect((await throttle.admit(capped, limits(null, 2), now)).send).toBe(true);
  expect((await throttle.admit(capped, limits(null, 2), now)).send).toBe(false);
  throttle.finished(capped, 50);
  expect((await throttle.admit(capped, limits(null, 2), now)).send).toBe(true);
});

test("retention forgets send slots a day old", async () => {
  await t.deps.db.execute("INSERT INTO _target_throttle (target, next_at) VALUES ('webhook:gone', 1000)");
  await runRetentionPass(t.deps);
  const rs = await t.deps.db.execute("SELECT count(*) AS n FROM _target_throttle WHERE target = 'webhook:gone'");
  expect(Number(rs.rows[0]!.n)).toBe(0);
});
