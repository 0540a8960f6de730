// Throttling (docs/control.md): a target's rateLimit and maxInFlight hold its deliveries back
// without failing them. A claimed delivery of such a target passes the gate, or goes back to pending
// with the time it may go (deferred: no attempt used), so it never holds a sending slot another
// target could use.
// - rateLimit: send slots 1/rate apart are taken from one row per target in _target_throttle
//   (migration 013) by a conditional UPDATE, so every instance sharing the database draws from
//   the same slots and the limit holds over all of them. A slot less than a grace period ahead
//   is waited for here; a later one defers the delivery, spread so the deferred come back about
//   one slot apart instead of all at once.
// - maxInFlight: counted here per instance; each instance takes its share of the cap by the
//   instances alive (_instances), at least 1.
import type { Db } from "../db/client";
import type { Delivery } from "../deliveries/delivery_row";
import type { TargetControl } from "../targets/target_control";
import { HEARTBEAT_MS } from "./instance_registry";

/** MAX_WAIT_MS is the longest a delivery waits in memory for its slot; beyond it, it is deferred. */
const MAX_WAIT_MS = 100;
const INSTANCES_TTL_MS = 1_000;

/** Admission is the gate's answer: send (after waitMs), or defer until a time. */
export type Admission = { send: true; waitMs: number } | { send: false; until: Date };

// A slot is taken only when the next one is at most `grace` ahead, so a booking further ahead
// than grace + interval was made under a slower limit since raised: it starts afresh.
const TAKE_SLOT_SQL = `INSERT INTO _target_throttle (target, next_at) VALUES (:target, :now + :interval)
  ON CONFLICT (target) DO UPDATE
    SET next_at = (CASE WHEN next_at > :now + :grace + :interval THEN :now ELSE max(next_at, :now) END) + :interval
    WHERE next_at <= :now + :grace OR next_at > :now + :grace + :interval
  RETURNING next_at - :interval AS slot`;

/** isThrottled tells whether a target's control limits its deliveries at all. */
export function isThrottled(control: TargetControl | null): control is TargetControl {
  return control !== null && (control.rateLimit !== null || control.maxInFlight !== null);
}

/** Throttle is one instance's gate for throttled targets. */
export class Throttle {
  private readonly inFlight = new Map<string, number>();
  /** Per target: the time the last deferred delivery was told to come back. */
  private readonly lastDeferred = new Map<string, number>();
  /** Per target: about how long an attempt takes (ms), to space deliveries held back by maxInFlight. */
  private readonly attemptMs = new Map<string, number>();
  private instances = { count: 1, readAt: -Infinity };

  constructor(private readonly db: Db) {}

  /** admit decides for one claimed delivery of a throttled target; a sent one must be reported to finished. */
  async admit(d: Delivery, control: TargetControl, now: number): Promise<Admission> {
    const target = d.target ?? d.url;
    const share =
      control.maxInFlight === null
        ? Infinity
        : Math.max(1, Math.floor(control.maxInFlight / (await this.liveInstances(now))));
    const busy = this.inFlight.get(target) ?? 0;
    if (busy >= share) return this.defer(target, now, now, (this.attemptMs.get(target) ?? 100) / share);
    // Counted before the slot is taken, so admissions of the same target meanwhile see it.
    this.inFlight.set(target, busy + 1);
    if (control.rateLimit === null) return { send: true, waitMs: 0 };
    const interval = 1000 / control.rateLimit;
    try {
      const [taken, current] = await this.db.batch(
        [
          { sql: TAKE_SLOT_SQL, args: { target, now, interval, grace: Math.min(interval, MAX_WAIT_MS) } },
          { sql: "SELECT next_at FROM _target_throttle WHERE target = ?", args: [target] },
        ],
        "write",
      );
      const slot = taken!.rows[0]?.slot;
      if (slot !== undefined && slot !== null) return { send: true, waitMs: Math.max(0, Number(slot) - now) };
      this.release(target);
      return this.defer(target, now, Number(current!.rows[0]!.next_at), interval);
    } catch (err) {
      this.release(target);
      throw err;
    }
  }

  /** finished counts an admitted delivery's attempt as over. */
  finished(d: Delivery, durationMs: number): void {
    const target = d.target ?? d.url;
    this.release(target);
    const before = this.attemptMs.get(target);
    this.attemptMs.set(target, before === undefined ? durationMs : before * 0.8 + durationMs * 0.2);
  }

  private release(target: string): void {
    const n = (this.inFlight.get(target) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(target);
    else this.inFlight.set(target, n);
  }

  private defer(target: string, now: number, freeAt: number, spacing: number): Admission {
    const until = Math.max(freeAt, (this.lastDeferred.get(target) ?? 0) + spacing, now + 1);
    this.lastDeferred.set(target, until);
    return { send: false, until: new Date(Math.ceil(until)) };
  }

  private async liveInstances(now: number): Promise<number> {
    if (now - this.instances.readAt < INSTANCES_TTL_MS) return this.instances.count;
    const rs = await this.db.execute({
      sql: "SELECT count(*) AS n FROM _instances WHERE heartbeat_at > ?",
      args: [new Date(now - 3 * HEARTBEAT_MS).toISOString()],
    });
    this.instances = { count: Math.max(1, Number(rs.rows[0]?.n ?? 1)), readAt: now };
    return this.instances.count;
  }
}
