// Counting on the delivery hot path. prom-client checks and hashes a counter's labels on every
// inc: three times per delivery (the request, the attempt, the final state). A Tally keeps the
// counts by a key its caller builds and hands them to the counter when the counter is read (a
// scrape calls its collect first), so a count costs one Map update.
import type { Counter } from "prom-client";

/** Tally counts label sets for one counter between reads. */
export class Tally<L extends string> {
  private readonly pending = new Map<string, { labels: Record<L, string>; n: number }>();

  /** add counts one under `key`, which must name `labels` (labels() is called only for a key's first count since the last read). */
  add(key: string, labels: () => Record<L, string>): void {
    const entry = this.pending.get(key);
    if (entry) entry.n++;
    else this.pending.set(key, { labels: labels(), n: 1 });
  }

  /** flushInto hands the counts to the counter they are for; call it from the counter's collect. */
  flushInto(counter: Counter<L>): void {
    for (const { labels, n } of this.pending.values()) counter.inc(labels, n);
    this.pending.clear();
  }
}
