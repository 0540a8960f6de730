// Matching a new trigger list to the stored one (docs/delivery.md): a trigger whose id is kept keeps
// its secret, health and queued deliveries; one left out is deleted. A trigger sent without
// an id takes over the stored one with the same action and URL (VSKI clients that never saw
// ids send the list back that way); failing that, when exactly one stored trigger of its action
// is left unmatched and it is the only id-less one of that action left, it takes over that one
// (a VSKI client that fixed a URL keeps the secret, health and queued deliveries, docs/control.md);
// otherwise it gets a new id.
import { sealHeaders } from "../auth/header_sealing";
import type { AtRest } from "../auth/at_rest";
import type { InStatement } from "../db/client";
import { newId } from "../lib/new_id";
import { newSecretStatement, keepSecretStatement } from "../targets/secret_store";
import { parseSecret } from "../targets/signing_secret";
import { dropHeldStatement, pauseChangeStatements } from "../targets/target_health";
import { triggerTarget } from "../targets/target_key";
import type { Trigger, TriggerSpec } from "./collection_types";

/** TriggerPlan is the trigger list to store and the statements that go with it (secrets, holding, releasing). */
export interface TriggerPlan {
  triggers: Trigger[];
  statements: InStatement[];
  /** enabling lists the kept triggers sent with paused: false, which enables them if they were disabled. */
  enabling: string[];
}

/** planTriggers resolves ids, paused flags and secrets of a new trigger list against the stored one. */
export function planTriggers(
  atRest: AtRest,
  collectionId: string,
  before: Trigger[],
  specs: TriggerSpec[],
  now: string,
): TriggerPlan {
  const byId = new Map(before.map((t) => [t.id, t]));
  const ids = matchIds(before, specs);
  const statements: InStatement[] = [];
  const enabling: string[] = [];
  const triggers = specs.map((spec, i): Trigger => {
    const { secret, paused, id: _given, ...definition } = spec;
    const id = ids[i] ?? newId();
    const prev = byId.get(id);
    // id after the definition: VSKI clients read the fields they sent first.
    const trigger: Trigger = {
      ...definition,
      headers: sealHeaders(atRest, definition.headers, `triggers.${i}.headers`),
      id,
      paused: paused ?? prev?.paused ?? false,
    };
    const target = triggerTarget(collectionId, id);
    if (secret !== undefined)
      statements.push(newSecretStatement(atRest, target, parseSecret(secret, `triggers.${i}.secret`)));
    else statements.push(prev ? keepSecretStatement(atRest, target) : newSecretStatement(atRest, target));
    if (prev) statements.push(...pauseChangeStatements(target, now, prev.paused, trigger.paused, paused === false));
    if (prev && paused === false) enabling.push(id);
    return trigger;
  });
  const kept = new Set(triggers.map((t) => t.id));
  for (const t of before)
    if (!kept.has(t.id)) statements.push(dropHeldStatement(triggerTarget(collectionId, t.id), now));
  return { triggers, statements, enabling };
}

/** matchIds answers, per spec, the stored trigger id it takes over (or undefined: a new trigger). */
export function matchIds(before: Trigger[], specs: TriggerSpec[]): (string | undefined)[] {
  const ids = specs.map((s) => s.id);
  const claimed = new Set(ids.filter((id) => id !== undefined && before.some((t) => t.id === id)));
  const take = (i: number, t: Trigger | undefined) => {
    if (t) (ids[i] = t.id), claimed.add(t.id);
  };
  specs.forEach((spec, i) => {
    if (ids[i] === undefined)
      take(
        i,
        before.find((t) => !claimed.has(t.id) && t.action === spec.action && t.url === spec.url),
      );
  });
  for (const action of new Set(specs.map((s) => s.action))) {
    const left = before.filter((t) => !claimed.has(t.id) && t.action === action);
    const unmatched = specs.flatMap((s, i) => (ids[i] === undefined && s.action === action ? [i] : []));
    if (left.length === 1 && unmatched.length === 1) take(unmatched[0]!, left[0]);
  }
  return ids;
}
