// Claimed deliveries waiting for a free slot. Claiming ahead lets a finished attempt start the
// next delivery at once. Without it each freed slot waited for a claim statement, and on an
// event loop busy with API writes that took several turns: deliveries fell ever further
// behind the writes. Only as many are claimed ahead as attempts finished lately, so an
// instance whose slots are stuck on slow receivers leaves new work to other instances.
import type { Delivery } from "../deliveries/delivery_row";

/** ReadyQueue keeps claimed deliveries and counts what is in flight, in all and per target host. */
export class ReadyQueue {
  private waiting: Delivery[] = [];
  /** per host: claimed and not finished (waiting + in flight) */
  private held = new Map<string, number>();
  /** per host: in flight */
  private flying = new Map<string, number>();
  private flyingTotal = 0;
  /** attempts finished in the current and the previous RATE_WINDOW_MS */
  private finishedNow = 0;
  private finishedBefore = 0;
  private windowStart = 0;

  constructor(
    private readonly concurrency: number,
    private readonly hostLimit: number,
  ) {}

  /** room is how many more deliveries to claim: the free slots, plus as many as finished lately (at most one more of each slot). */
  get room(): number {
    this.roll(Date.now());
    const ahead = Math.min(this.concurrency, this.finishedNow + this.finishedBefore);
    return this.concurrency + ahead - this.flyingTotal - this.waiting.length;
  }

  /** hostShare is the most one host may hold here (waiting + in flight), for the claim's per-host limit. */
  get hostShare(): number {
    return 2 * this.hostLimit;
  }

  /** heldByHost answers, per target host, how many deliveries this instance holds. */
  heldByHost(): Map<string, number> {
    return this.held;
  }

  /** anyHostAtShare tells whether some host holds its share: a claim then passed over its due rows. */
  anyHostAtShare(): boolean {
    for (const n of this.held.values()) if (n >= this.hostShare) return true;
    return false;
  }

  /** waitingCount is how many claimed deliveries wait for a slot. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** add takes newly claimed deliveries, oldest due first. */
  add(deliveries: Delivery[]): void {
    for (const d of deliveries) {
      this.waiting.push(d);
      bump(this.held, d.targetHost, 1);
    }
  }

  /** next hands out the first waiting delivery that may start now (a free slot, its host under its limit), counted as in flight. */
  next(): Delivery | undefined {
    if (this.flyingTotal >= this.concurrency) return undefined;
    const i = this.waiting.findIndex((d) => (this.flying.get(d.targetHost) ?? 0) < this.hostLimit);
    if (i < 0) return undefined;
    const [d] = this.waiting.splice(i, 1);
    bump(this.flying, d!.targetHost, 1);
    this.flyingTotal++;
    return d;
  }

  /** finished frees the slot of a delivery handed out by next. */
  finished(d: Delivery): void {
    bump(this.flying, d.targetHost, -1);
    bump(this.held, d.targetHost, -1);
    this.flyingTotal--;
    this.roll(Date.now());
    this.finishedNow++;
  }

  /** clear forgets every waiting delivery (shutdown: their leases are given back in the database). */
  clear(): void {
    for (const d of this.waiting) bump(this.held, d.targetHost, -1);
    this.waiting = [];
  }

  private roll(now: number): void {
    if (now - this.windowStart < RATE_WINDOW_MS) return;
    this.finishedBefore = now - this.windowStart < 2 * RATE_WINDOW_MS ? this.finishedNow : 0;
    this.finishedNow = 0;
    this.windowStart = now;
  }
}

/** RATE_WINDOW_MS is how far back "finished lately" looks. */
const RATE_WINDOW_MS = 100;

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
