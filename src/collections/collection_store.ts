// Changing the catalogue of collections (reading it is collection_lookup.ts). Every change to a
// collection — its row in _collections, its table and its capture triggers — is one batch, so it
// happens whole or not at all.
import { ConflictError, fieldError } from "../errors";
import type { Deps } from "../deps";
import { newId } from "../lib/new_id";
import { createCaptureTriggers, dropCaptureTriggers } from "./capture_triggers";
import { fieldChanges, resolveFieldIds } from "./collection_fields";
import { forgetCollections } from "./catalogue_cache";
import { findCollection, getCollection } from "./collection_lookup";
import { alterTableStatements, createTableStatements, dropTableStatements, retypedFields } from "./collection_ddl";
import type { CollectionInput } from "./collection_input";
import type { Collection } from "./collection_types";
import { assertCollectionNameAllowed } from "./shadowed_names";
import { planTriggers } from "./trigger_identity";
import { collectionChanges, disabledTriggers } from "./collection_changes";
import { logConfigChange, reportEnabled, type ChangeDeps } from "../auth/config_changes";
import { triggerTarget } from "../targets/target_key";
import { checkTriggerRules, renameTriggerFields } from "./trigger_rules";

type ReadDeps = Pick<Deps, "db">;
type StoreDeps = Pick<Deps, "db" | "clock" | "signals" | "atRest"> & ChangeDeps;

async function assertNameFree(deps: ReadDeps, name: string): Promise<void> {
  const taken = await deps.db.execute({
    sql: "SELECT type FROM sqlite_master WHERE lower(name) = lower(?)",
    args: [name],
  });
  if ((await findCollection(deps, name)) || taken.rows.length > 0)
    throw new ConflictError(`a collection or table named "${name}" already exists`);
}

function catalogueRow(c: Collection) {
  return [c.id, c.name, c.type, JSON.stringify(c.schema), JSON.stringify(c.options), c.created, c.updated];
}

/** createCollection stores the definition, creates its table and capture triggers. */
export async function createCollection(deps: StoreDeps, input: CollectionInput): Promise<Collection> {
  const now = deps.clock.now().toISOString();
  const id = newId();
  const plan = planTriggers(deps.atRest, id, [], input.triggers ?? [], now);
  const c: Collection = {
    id,
    name: input.name!,
    type: "base",
    schema: resolveFieldIds([], input.schema ?? [], newId),
    options: { ...input.options, triggers: plan.triggers },
    created: now,
    updated: now,
  };
  checkTriggerRules(c, input.triggersKey ?? "triggers");
  await assertCollectionNameAllowed(deps.db, c.name);
  await assertNameFree(deps, c.name);
  await runDdl(
    deps,
    [
      {
        sql: "INSERT INTO _collections (id, name, type, schema, options, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
        args: catalogueRow(c),
      },
      ...createTableStatements(c),
      ...createCaptureTriggers(c),
      ...plan.statements,
    ],
    c.name,
  );
  logConfigChange(deps, "collection created", {
    collection: c.name,
    fields: c.schema.length,
    triggers: c.options.triggers.map((t) => t.id),
  });
  return c;
}

/** updateCollection renames, changes fields (kept and renamed fields keep their data) and replaces triggers. */
export async function updateCollection(deps: StoreDeps, name: string, input: CollectionInput): Promise<Collection> {
  const before = await getCollection(deps, name);
  const updated = deps.clock.now().toISOString();
  const plan = input.triggers
    ? planTriggers(deps.atRest, before.id, before.options.triggers, input.triggers, updated)
    : { triggers: before.options.triggers, statements: [], enabling: [] };
  const after: Collection = {
    ...before,
    name: input.name ?? before.name,
    schema: input.schema ? resolveFieldIds(before.schema, input.schema, newId) : before.schema,
    options: { ...before.options, ...input.options, triggers: plan.triggers },
    updated,
  };
  // Kept triggers follow renamed fields; triggers sent with the update are taken as written.
  if (!input.triggers)
    after.options.triggers = renameTriggerFields(
      after.options.triggers,
      new Map(fieldChanges(before.schema, after.schema).renamed.map(({ from, to }) => [from.name, to.name])),
    );
  // The column keeps its SQLite type, so a bool stored in a text column would read back wrong.
  const [retyped] = retypedFields(before, after);
  if (retyped) {
    const { index, field, from } = retyped;
    throw fieldError(
      `schema.${index}.type`,
      "type_change",
      `field "${field.name}" is ${from} and cannot become ${field.type}; remove it and add a new field`,
    );
  }
  checkTriggerRules(after, input.triggersKey ?? "triggers");
  // A name already stored is kept (an older release allowed it); only a new one must pass the rules.
  if (after.name !== before.name) await assertCollectionNameAllowed(deps.db, after.name);
  if (after.name.toLowerCase() !== before.name.toLowerCase()) await assertNameFree(deps, after.name);
  const enabled = plan.enabling.length ? await disabledTriggers(deps.db, before.id, plan.enabling) : [];
  await runDdl(
    deps,
    [
      ...dropCaptureTriggers(before),
      ...alterTableStatements(before, after),
      {
        sql: "UPDATE _collections SET name = ?, schema = ?, options = ?, updated = ? WHERE id = ?",
        args: [after.name, JSON.stringify(after.schema), JSON.stringify(after.options), after.updated, after.id],
      },
      ...createCaptureTriggers(after),
      ...plan.statements,
    ],
    after.name,
  );
  logConfigChange(deps, "collection updated", {
    collection: after.name,
    renamedFrom: before.name,
    ...collectionChanges(before, after),
  });
  for (const id of enabled) reportEnabled(deps, triggerTarget(after.id, id), `${after.name}/${id}`);
  return after;
}

/** deleteCollection drops the table and forgets the collection; its delivery logs stay, held ones ended as failed. */
export async function deleteCollection(deps: StoreDeps, name: string): Promise<Collection> {
  const c = await getCollection(deps, name);
  const held = planTriggers(deps.atRest, c.id, c.options.triggers, [], deps.clock.now().toISOString()).statements;
  await runDdl(
    deps,
    [
      ...dropCaptureTriggers(c),
      ...dropTableStatements(c),
      { sql: "DELETE FROM _collections WHERE id = ?", args: [c.id] },
      ...held,
    ],
    c.name,
  );
  logConfigChange(deps, "collection deleted", { collection: c.name });
  return c;
}

async function runDdl(deps: StoreDeps, statements: Parameters<Deps["db"]["batch"]>[0], name: string): Promise<void> {
  try {
    await deps.db.batch(statements, "write");
  } catch (err) {
    // A concurrent create of the same name loses on the UNIQUE constraint, after our check.
    if (/UNIQUE|already exists/i.test(String(err)))
      throw new ConflictError(`a collection or table named "${name}" already exists`);
    throw err;
  } finally {
    forgetCollections(deps.db);
  }
  deps.signals.catalogueChanged.emit();
}
