// Matching a new trigger list to the stored one (SPEC §3): a trigger whose id is kept keeps
// its secret, health and queued deliveries; one left out is deleted. A trigger sent without
// an id takes over the stored one with the same action and URL (VSKI clients that never saw
// ids send the list back that way); otherwise it gets a new id.
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
}

/** planTriggers resolves ids, paused flags and secrets of a new trigger list against the stored one. */
export function planTriggers(collectionId: string, before: Trigger[], specs: TriggerSpec[], now: string): TriggerPlan {
  const byId = new Map(before.map((t) => [t.id, t]));
  const claimed = new Set(specs.flatMap((s) => (s.id !== undefined && byId.has(s.id) ? [s.id] : [])));
  const statements: InStatement[] = [];
  const triggers = specs.map((spec, i): Trigger => {
    const { secret, paused, id: givenId, ...definition } = spec;
    const id = givenId ?? takeMatching(before, claimed, spec) ?? newId();
    claimed.add(id);
    const prev = byId.get(id);
    // id after the definition: VSKI clients read the fields they sent first.
    const trigger: Trigger = { ...definition, id, paused: paused ?? prev?.paused ?? false };
    const target = triggerTarget(collectionId, id);
    if (secret !== undefined) statements.push(newSecretStatement(target, parseSecret(secret, `triggers.${i}.secret`)));
    else statements.push(prev ? keepSecretStatement(target) : newSecretStatement(target));
    if (prev) statements.push(...pauseChangeStatements(target, now, prev.paused, trigger.paused, paused === false));
    return trigger;
  });
  const kept = new Set(triggers.map((t) => t.id));
  for (const t of before)
    if (!kept.has(t.id)) statements.push(dropHeldStatement(triggerTarget(collectionId, t.id), now));
  return { triggers, statements };
}

function takeMatching(before: Trigger[], claimed: Set<string>, spec: TriggerSpec): string | undefined {
  return before.find((t) => !claimed.has(t.id) && t.action === spec.action && t.url === spec.url)?.id;
}
