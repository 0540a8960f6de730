// Collections as clients see them: each trigger with its health (docs/delivery.md, pause and health) beside its
// definition. Health lives in _target_health, so it is joined here, never stored in options.
import type { Deps } from "../deps";
import { NO_HEALTH, readHealth, type TargetHealth } from "../targets/target_health";
import { triggerTarget } from "../targets/target_key";
import type { Collection, Trigger } from "./collection_types";

/** TriggerView is a trigger with its health. */
export type TriggerView = Trigger & TargetHealth;

/** CollectionView is a collection whose triggers carry their health. */
export type CollectionView = Collection & { options: Collection["options"] & { triggers: TriggerView[] } };

/** withTriggerHealth adds each trigger's health to the collections, in one read. */
export async function withTriggerHealth(deps: Pick<Deps, "db">, collections: Collection[]): Promise<CollectionView[]> {
  const keys = collections.flatMap((c) => c.options.triggers.map((t) => triggerTarget(c.id, t.id)));
  const health = await readHealth(deps.db, keys);
  return collections.map((c) => ({
    ...c,
    options: {
      ...c.options,
      triggers: c.options.triggers.map((t) => ({ ...t, ...(health.get(triggerTarget(c.id, t.id)) ?? NO_HEALTH) })),
    },
  }));
}

/** collectionView is withTriggerHealth for one collection. */
export async function collectionView(deps: Pick<Deps, "db">, c: Collection): Promise<CollectionView> {
  return (await withTriggerHealth(deps, [c]))[0]!;
}
