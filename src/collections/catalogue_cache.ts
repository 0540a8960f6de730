// Collection definitions are read on every record request; reading and parsing them from
// _collections each time was a large share of a write. They are kept per database handle
// (so each test app has its own) for a short while: this process's own changes clear the
// cache at once, another instance's changes are seen within MAX_AGE_MS. Capture does not
// depend on this cache — the capture triggers live in the database — only validation does.
import type { Db } from "../db/client";
import type { Collection } from "./collection_types";

/** MAX_AGE_MS is how long a definition read from the database is used without reading it again. */
const MAX_AGE_MS = 1_000;

interface Entry {
  collection: Collection;
  readAt: number;
}

const caches = new WeakMap<Db, Map<string, Entry>>();

function cacheOf(db: Db): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** cachedCollection answers a fresh cached definition, or loads it (misses are not cached: a new collection is found at once). */
export async function cachedCollection(
  db: Db,
  name: string,
  load: () => Promise<Collection | undefined>,
): Promise<Collection | undefined> {
  const cache = cacheOf(db);
  const now = Date.now();
  const hit = cache.get(name);
  if (hit && now - hit.readAt < MAX_AGE_MS) return hit.collection;
  const collection = await load();
  if (collection) cache.set(name, { collection, readAt: now });
  else cache.delete(name);
  return collection;
}

/** forgetCollections clears the cache after this process changed a collection. */
export function forgetCollections(db: Db): void {
  cacheOf(db).clear();
}
