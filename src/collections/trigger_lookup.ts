// One trigger of a collection, found by id: for the secret endpoints and for enabling it.
import type { Deps } from "../deps";
import { NotFoundError } from "../errors";
import { triggerTarget } from "../targets/target_key";
import { updateCollection } from "./collection_store";
import { getCollection } from "./collection_lookup";
import type { Collection, Trigger } from "./collection_types";

/** FoundTrigger is a trigger, its collection and its target key. */
export interface FoundTrigger {
  collection: Collection;
  trigger: Trigger;
  target: string;
  what: string;
}

/** findTrigger answers the trigger with that id in the named collection, or throws NotFoundError. */
export async function findTrigger(deps: Pick<Deps, "db">, name: string, id: string): Promise<FoundTrigger> {
  const collection = await getCollection(deps, name);
  const trigger = collection.options.triggers.find((t) => t.id === id);
  const what = `trigger "${id}" of collection "${collection.name}"`;
  if (!trigger) throw new NotFoundError(what);
  return { collection, trigger, target: triggerTarget(collection.id, id), what };
}

/** enableTrigger un-pauses a trigger, clears a disabled state and releases its held deliveries. */
export async function enableTrigger(
  deps: Pick<Deps, "db" | "clock" | "signals" | "atRest">,
  name: string,
  id: string,
): Promise<Collection> {
  const { collection } = await findTrigger(deps, name, id);
  // Only this trigger says paused: false; the others keep theirs (and stay disabled if they are).
  const triggers = collection.options.triggers.map((t) => ({ ...t, paused: t.id === id ? false : undefined }));
  return updateCollection(deps, collection.name, { triggers });
}
