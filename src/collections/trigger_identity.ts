// Matching a new trigger list to the stored one (SPEC §3): a trigger whose id is kept keeps
// its secret, health and queued deliveries; one left out is deleted. A trigger sent without
// an id takes over the stored one with the same action and URL (VSKI clients that never saw
// ids send the list back that way); otherwise it gets a new id.
import type { AtRest } from "../auth/at_rest";
import type { InStatement } from "../db/client";
import { newId } from "../deps";
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
  const claimed = new Set(specs.flatMap((s) => (s.id !== undefined && byId.has(s.id) ? [s.id] : [])));
  const statements: InStatement[] = [];
  const enabling: string[] = [];
  const triggers = specs.map((spec, i): Trigger => {
    const { secret, paused, id: givenId, ...definition } = spec;
    const id = givenId ?? takeMatching(before, claimed, spec) ?? newId();
    claimed.add(id);
    const prev = byId.get(id);
    // id after the definition: VSKI clients read the fields they sent first.
    const trigger: Trigger = { ...definition, id, paused: paused ?? prev?.paused ?? false };
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

function takeMatching(before: Trigger[], claimed: Set<string>, spec: TriggerSpec): string | undefined {
  return before.find((t) => !claimed.has(t.id) && t.action === spec.action && t.url === spec.url)?.id;
}
