// The runtime parts every other part leans on: signals, single flight, timers (in fake time).
import { expect, test } from "bun:test";
import { WakeTimer } from "../../src/runtime/wake_timer";
import { SingleFlight } from "../../src/lib/single_flight";
import { createSignals, Signal } from "../../src/runtime/signals";
import { every } from "../../src/runtime/timers";
import { FakeTimers } from "../support/fake_timers";

test("a signal calls its listeners synchronously, in order, until each unsubscribes", () => {
  const signal = new Signal();
  const heard: string[] = [];
  const offA = signal.subscribe(() => heard.push("a"));
  signal.subscribe(() => heard.push("b"));
  signal.emit();
  expect(heard).toEqual(["a", "b"]);
  offA();
  offA();
  signal.emit();
  expect(heard).toEqual(["a", "b", "b"]);
});

test("the same function subscribed twice is two subscriptions; emitting with no listener does nothing", () => {
  const signals = createSignals();
  signals.cronChanged.emit();
  let n = 0;
  const fn = () => n++;
  const off = signals.deliveriesQueued.subscribe(fn);
  signals.deliveriesQueued.subscribe(fn);
  off();
  signals.deliveriesQueued.emit();
  expect(n).toBe(1);
  expect(Object.isFrozen(signals)).toBe(true);
});

test("single flight: the first run starts synchronously; requests during a run make exactly one more", async () => {
  const gates: (() => void)[] = [];
  let runs = 0;
  const flight = new SingleFlight(async () => {
    runs++;
    await new Promise<void>((resolve) => gates.push(resolve));
  });
  const first = flight.run();
  expect(runs).toBe(1);
  const second = flight.run();
  flight.run();
  expect(second).toBe(first);
  gates.shift()!();
  while (runs < 2) await Promise.resolve();
  expect(flight.current).not.toBeNull();
  gates.shift()!();
  await first;
  expect(runs).toBe(2);
  expect(flight.current).toBeNull();
});

test("single flight: work answering true runs again; a throw ends the series and rejects", async () => {
  let left = 3;
  let runs = 0;
  await new SingleFlight(async () => {
    runs++;
    return --left > 0;
  }).run();
  expect(runs).toBe(3);
  const failing = new SingleFlight(async () => {
    throw new Error("boom");
  });
  await expect(failing.run()).rejects.toThrow("boom");
  expect(failing.current).toBeNull();
});

test("every fires each period in fake time until stopped", () => {
  const timers = new FakeTimers();
  let ticks = 0;
  const stop = every(timers, 1_000, () => ticks++);
  timers.advance(999);
  expect(ticks).toBe(0);
  timers.advance(4_001);
  expect(ticks).toBe(5);
  stop();
  timers.advance(10_000);
  expect(ticks).toBe(5);
  expect(timers.armed).toBe(0);
});

test("a wake timer keeps the earliest timed wake and a cancel stops it for good (five minutes in no time)", () => {
  const timers = new FakeTimers();
  const woken: number[] = [];
  const wakes = new WakeTimer(
    timers,
    () => {},
    () => woken.push(timers.now()),
  );
  const start = timers.now();
  wakes.wakeAt(300_000);
  wakes.wakeAt(600_000);
  expect(timers.armed).toBe(1);
  wakes.wakeAt(60_000);
  expect(timers.armed).toBe(1);
  timers.advance(600_000);
  expect(woken).toEqual([start + 60_000]);
  wakes.wakeAt(1_000);
  wakes.cancel();
  timers.advance(10_000);
  expect(woken).toHaveLength(1);
  expect(timers.armed).toBe(0);
});
