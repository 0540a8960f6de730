// Claiming ahead: as many as finished lately, per-host limits on what starts.
import { expect, test } from "bun:test";
import type { Delivery } from "../../src/deliveries/delivery_row";
import { ReadyQueue } from "../../src/dispatch/ready_queue";

const delivery = (id: string, targetHost: string) => ({ id, targetHost }) as Delivery;

test("with nothing finished lately only free slots are claimed; finishing opens room to claim ahead", () => {
  const q = new ReadyQueue(2, 2);
  expect(q.room).toBe(2);
  q.add([delivery("a", "h"), delivery("b", "h")]);
  expect(q.room).toBe(0);
  const a = q.next()!;
  const b = q.next()!;
  expect(q.next()).toBeUndefined();
  expect(q.room).toBe(0);
  q.finished(a);
  q.finished(b);
  // Two finished just now: two free slots and two more ahead.
  expect(q.room).toBe(4);
});

test("a host at its limit does not hold up deliveries to other hosts", () => {
  const q = new ReadyQueue(4, 1);
  q.add([delivery("1", "slow"), delivery("2", "slow"), delivery("3", "fast")]);
  expect(q.next()!.id).toBe("1");
  expect(q.next()!.id).toBe("3");
  expect(q.next()).toBeUndefined();
  expect(q.heldByHost().get("slow")).toBe(2);
  expect(q.hostShare).toBe(2);
  q.clear();
  expect(q.waitingCount).toBe(0);
  expect(q.heldByHost().get("slow")).toBe(1);
});
