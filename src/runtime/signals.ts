// Events between parts of one process: a part that changes something emits; a part that cares
// subscribes while it runs. Emitting calls every listener synchronously, in subscription order,
// so a listener may issue a statement in the same turn as the write that emitted (the dispatcher
// relies on this to join an embedded database's group commit).

/** Signal is one kind of event without a payload. */
export class Signal {
  private listeners = new Set<() => void>();

  /** subscribe calls `fn` on every emit until the answered function is called. */
  subscribe(fn: () => void): () => void {
    // A wrapper, so subscribing the same function twice gives two independent subscriptions.
    const listener = () => fn();
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** emit calls every current listener now. */
  emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Signals are the events hookd's parts tell each other of. */
export interface Signals {
  /** deliveriesQueued: a write (committed, or issued in this turn on a group-committing database) may have enqueued or freed deliveries. */
  readonly deliveriesQueued: Signal;
  /** catalogueChanged: a trigger, webhook, cron job or signing secret changed in this process. */
  readonly catalogueChanged: Signal;
  /** cronChanged: cron jobs were created, changed or deleted in this process. */
  readonly cronChanged: Signal;
}

/** createSignals makes a fresh set of signals with no listeners. */
export function createSignals(): Signals {
  return Object.freeze({
    deliveriesQueued: new Signal(),
    catalogueChanged: new Signal(),
    cronChanged: new Signal(),
  });
}
