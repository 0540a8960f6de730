// One trigger at a time (docs/control.md): read, add, change and remove a single trigger without
// sending the whole list. Each is a change of the collection's trigger list made here, so the
// same rules hold (ids, secrets, health, held deliveries, conditions against the fields).
// Errors name the trigger's own fields (url, condition), not triggers.N.url.
import { keepMaskedHeaders } from "../auth/header_masking";
import type { Deps } from "../deps";
import { ValidationError, type FieldErrors } from "../errors";
import { collectionView, type TriggerView } from "./collection_health";
import { parseCollectionInput } from "./collection_input";
import { updateCollection } from "./collection_store";
import { getCollection } from "./collection_lookup";
import type { Collection, Trigger, TriggerSpec } from "./collection_types";
import { findTrigger } from "./trigger_lookup";

type TriggerDeps = Pick<Deps, "db" | "clock" | "signals" | "log" | "ops" | "atRest">;

/** getTrigger answers one trigger with its health. */
export async function getTrigger(deps: TriggerDeps, name: string, id: string): Promise<TriggerView> {
  const { collection } = await findTrigger(deps, name, id);
  return viewOf(deps, id, collection);
}

/** addTrigger appends a trigger to the collection's list and answers it. */
export async function addTrigger(deps: TriggerDeps, name: string, body: unknown): Promise<TriggerView> {
  const { collection, spec } = await parseOne(deps, name, body);
  if (spec.id !== undefined && collection.options.triggers.some((t) => t.id === spec.id))
    throw new ValidationError(`id: trigger id "${spec.id}" is taken`, {
      id: { code: "duplicate", message: `trigger id "${spec.id}" is taken` },
    });
  const index = collection.options.triggers.length;
  const after = await saveTriggers(deps, name, [...collection.options.triggers.map(keptAsIs), spec], index);
  return viewOf(deps, after.options.triggers[index]!.id, after);
}

type TriggerBody = { headers?: unknown };

/** patchTrigger changes the keys the body gives; the keys it leaves out keep their value. */
export async function patchTrigger(deps: TriggerDeps, name: string, id: string, body: unknown): Promise<TriggerView> {
  const found = await findTrigger(deps, name, id);
  const index = found.collection.options.triggers.findIndex((t) => t.id === id);
  if (typeof body === "object" && body !== null && "id" in body && (body as { id: unknown }).id !== id)
    throw new ValidationError("id: a trigger's id cannot change", {
      id: { code: "immutable", message: "a trigger's id cannot change" },
    });
  const { paused, ...stored } = found.trigger;
  const merged =
    typeof body === "object" && body !== null && !Array.isArray(body)
      ? {
          ...stored,
          ...body,
          headers: keepMaskedHeaders((body as TriggerBody).headers ?? stored.headers, stored.headers),
        }
      : body;
  const { spec } = await parseOne(deps, name, merged);
  // paused only when sent: an explicit false also enables a disabled trigger.
  const patched: TriggerSpec = { ...spec, id, paused: (body as { paused?: boolean }).paused };
  const triggers = found.collection.options.triggers.map((t) => (t.id === id ? patched : keptAsIs(t)));
  return viewOf(deps, id, await saveTriggers(deps, name, triggers, index));
}

/** deleteTrigger removes one trigger; its held deliveries end as its list's removal ends them. */
export async function deleteTrigger(deps: TriggerDeps, name: string, id: string): Promise<void> {
  const { collection } = await findTrigger(deps, name, id);
  const triggers = collection.options.triggers.filter((t) => t.id !== id).map(keptAsIs);
  await updateCollection(deps, collection.name, { triggers });
}

// Stored triggers go back unchanged; paused left out keeps each one's pause and disabled state.
function keptAsIs({ paused: _paused, ...t }: Trigger): TriggerSpec {
  return t;
}

/** parseOne validates one trigger as a list of one would be, its errors named by its own fields. */
async function parseOne(deps: TriggerDeps, name: string, body: unknown) {
  const collection = await getCollection(deps, name);
  const [spec] = await withOwnFieldNames(0, async () => parseCollectionInput({ triggers: [body] }, true).triggers!);
  return { collection, spec: spec! };
}

function saveTriggers(deps: TriggerDeps, name: string, triggers: TriggerSpec[], index: number): Promise<Collection> {
  return withOwnFieldNames(index, () => updateCollection(deps, name, { triggers }));
}

async function viewOf(deps: TriggerDeps, id: string, c: Collection): Promise<TriggerView> {
  const triggers: TriggerView[] = (await collectionView(deps, c)).options.triggers;
  return triggers.find((t) => t.id === id)!;
}

/** withOwnFieldNames renames errors about triggers.N.x (the trigger at `index`) to x. */
async function withOwnFieldNames<T>(index: number, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const prefix = `triggers.${index}.`;
    const data: FieldErrors = {};
    for (const [k, v] of Object.entries(err.data)) data[k.startsWith(prefix) ? k.slice(prefix.length) : k] = v;
    throw new ValidationError(err.message.split(prefix).join(""), data);
  }
}
