// A push-to-pull bridge: producers push values, one consumer iterates them with for await.
// It knows nothing of hookd; GraphQL subscriptions use it to turn events into a stream.

/** AsyncQueue buffers pushed values (up to `limit`, dropping the oldest) until the consumer pulls them. */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private values: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private closed = false;

  constructor(
    private onClose: () => void,
    private limit = 10_000,
  ) {}

  /** push hands a value to the consumer, or buffers it. */
  push(value: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    this.values.push(value);
    // A consumer that stopped reading must not grow memory without bound.
    if (this.values.length > this.limit) this.values.shift();
  }

  /** next answers the next value, waiting for one if none is buffered. */
  next(): Promise<IteratorResult<T>> {
    if (this.values.length > 0) return Promise.resolve({ value: this.values.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** return ends the stream (the consumer went away) and runs the close callback once. */
  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.values = [];
      this.waiting?.({ value: undefined, done: true });
      this.waiting = null;
      this.onClose();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
