// At most HOOKD_MAX_SUBSCRIPTIONS live streams per instance: each idle SSE subscription holds
// a socket, a queue and a poll's attention (17,800 of them once took 600 MB and as many file
// descriptors), so the one past the limit is refused with a 503 instead.
import { TooManySubscriptionsError } from "../errors";

/** SubscriptionLimit counts the open subscriptions of this instance, whatever they follow. */
export class SubscriptionLimit {
  private open = 0;

  constructor(readonly max: number) {}

  /** count is how many subscriptions are open now. */
  get count(): number {
    return this.open;
  }

  /** admit opens a stream if there is room (TooManySubscriptionsError otherwise); it counts until the stream ends. */
  admit<T>(openStream: () => AsyncIterableIterator<T>): AsyncIterableIterator<T> {
    if (this.open >= this.max) throw new TooManySubscriptionsError(this.max);
    const stream = openStream();
    this.open++;
    let counted = true;
    const release = () => {
      if (counted) this.open--;
      counted = false;
    };
    return {
      next: () => stream.next().then((r) => (r.done && release(), r)),
      return: (value?: unknown) => (release(), stream.return?.(value) ?? Promise.resolve({ done: true, value })),
      throw: (err?: unknown) => (release(), stream.throw?.(err) ?? Promise.reject(err)),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
