// At most HOOKD_MAX_SUBSCRIPTIONS live streams per instance: each idle SSE subscription holds
// a socket, a queue and a poll's attention (17,800 of them once took 600 MB and as many file
// descriptors), so the one past the limit is refused with a 503 instead.
// One API key may hold at most a quarter of them (a 429 past that), so a key holding any read
// scope cannot take every place; the admin token is the operator's and has no share.
import { TooManySubscriptionsError } from "../errors";

/** ADMIN_OWNER is the admin token's actor: held only to the instance's limit. */
const ADMIN_OWNER = "admin";

/** SubscriptionLimit counts the open subscriptions of this instance, whatever they follow. */
export class SubscriptionLimit {
  private open = 0;
  private byOwner = new Map<string, number>();
  /** perKey is how many one API key may hold. */
  readonly perKey: number;

  constructor(readonly max: number) {
    this.perKey = Math.max(1, Math.floor(max / 4));
  }

  /** count is how many subscriptions are open now. */
  get count(): number {
    return this.open;
  }

  /**
   * admit opens a stream for `owner` (a key id; ADMIN_OWNER has no share) if there is room
   * (TooManySubscriptionsError otherwise); it counts until the stream ends.
   */
  admit<T>(owner: string, openStream: () => AsyncIterableIterator<T>): AsyncIterableIterator<T> {
    if (this.open >= this.max) throw new TooManySubscriptionsError(this.max);
    const held = this.byOwner.get(owner) ?? 0;
    if (owner !== ADMIN_OWNER && held >= this.perKey) throw new TooManySubscriptionsError(this.max, this.perKey);
    const stream = openStream();
    this.open++;
    this.byOwner.set(owner, held + 1);
    let counted = true;
    const release = () => {
      if (counted) {
        this.open--;
        const left = (this.byOwner.get(owner) ?? 1) - 1;
        if (left > 0) this.byOwner.set(owner, left);
        else this.byOwner.delete(owner);
      }
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
