// Live record changes for recordChanged(collection): the record API of this process
// publishes each write it makes, to the subscribers of that collection only.
import { AsyncQueue } from "../lib/async_queue";

/** RecordChange is one write: on create oldRecord is null; on delete record is the deleted row. */
export interface RecordChange {
  action: "create" | "update" | "delete";
  collection: string;
  record: Record<string, unknown>;
  oldRecord: Record<string, unknown> | null;
}

/** RecordFeed fans record writes out to subscribers by collection name. */
export class RecordFeed {
  private byCollection = new Map<string, Set<AsyncQueue<RecordChange>>>();

  /** watching is true when someone listens to the collection (a writer may skip reading the old row otherwise). */
  watching(collection: string): boolean {
    return this.byCollection.has(collection);
  }

  /** publish hands one change to the collection's subscribers. */
  publish(change: RecordChange): void {
    for (const queue of this.byCollection.get(change.collection) ?? []) queue.push(change);
  }

  /** subscribe answers a stream of the collection's changes; ending the stream unsubscribes. */
  subscribe(collection: string): AsyncIterableIterator<RecordChange> {
    const queue: AsyncQueue<RecordChange> = new AsyncQueue(() => {
      const set = this.byCollection.get(collection);
      set?.delete(queue);
      if (set?.size === 0) this.byCollection.delete(collection);
    });
    let set = this.byCollection.get(collection);
    if (!set) this.byCollection.set(collection, (set = new Set()));
    set.add(queue);
    return queue;
  }
}
