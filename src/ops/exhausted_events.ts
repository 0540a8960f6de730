// delivery.exhausted events (docs/operating.md): a target's first failed delivery is told at once; the
// ones after it within `everyMs` are gathered into one event sent when the interval ends, with
// their count and the first ids. Per process: with several instances, each tells its own.
import type { TimerHandle, Timers } from "../runtime/timers";
import type { OpsEventType } from "./ops_events";

/** Exhausted is one failed delivery, as the event tells it. */
export interface Exhausted {
  id: string;
  httpStatus: number | null;
  error: string | null;
}

interface Pending {
  lastSentAt: number;
  count: number;
  ids: string[];
  last: Exhausted | null;
  timer: TimerHandle | null;
}

/** FIRST_IDS is how many delivery ids one event lists. */
const FIRST_IDS = 10;

/** ExhaustedEvents throttles delivery.exhausted per target. */
export class ExhaustedEvents {
  private targets = new Map<string, Pending>();

  constructor(
    private emit: (type: OpsEventType, target: string, data: Record<string, unknown>) => void,
    private timers: Timers,
    private everyMs = 60_000,
  ) {}

  /** failed tells of one failed delivery of `target` (its key): at once, or in the next gathered event. */
  failed(target: string, d: Exhausted): void {
    const now = this.timers.now();
    const p = this.targets.get(target);
    if (!p || (p.count === 0 && now - p.lastSentAt >= this.everyMs)) {
      this.targets.set(target, { lastSentAt: now, count: 0, ids: [], last: null, timer: null });
      this.emit("delivery.exhausted", target, {
        count: 1,
        deliveryIds: [d.id],
        httpStatus: d.httpStatus,
        error: d.error,
      });
      return;
    }
    p.count++;
    if (p.ids.length < FIRST_IDS) p.ids.push(d.id);
    p.last = d;
    p.timer ??= this.timers.setTimeout(() => this.flush(target), p.lastSentAt + this.everyMs - now);
  }

  /** stop sends what is gathered now. */
  stop(): void {
    for (const target of [...this.targets.keys()]) this.flush(target);
  }

  private flush(target: string): void {
    const p = this.targets.get(target);
    if (!p) return;
    if (p.timer) this.timers.clearTimeout(p.timer);
    if (p.count === 0) return void this.targets.delete(target);
    this.emit("delivery.exhausted", target, {
      count: p.count,
      deliveryIds: p.ids,
      httpStatus: p.last?.httpStatus ?? null,
      error: p.last?.error ?? null,
    });
    this.targets.set(target, { lastSentAt: this.timers.now(), count: 0, ids: [], last: null, timer: null });
  }
}
