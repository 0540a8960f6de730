// Configuration changes as log lines (docs/operating.md, What is logged): who (the request's actor: an API key's id,
// `admin`), what (the kind, its name, which settings changed) and never a value — headers,
// bodies and secrets may hold credentials. Enabling a disabled target is also told as
// target.enabled.
import { currentActor } from "../lib/request_context";
import type { Logger } from "../runtime/logger";

/** ChangeDeps is what a store may have for telling of changes (narrow test deps may have neither); ops is deps.ops. */
export type ChangeDeps = {
  log?: Logger;
  ops?: { emitAbout(type: "target.enabled", target: string, data: Record<string, unknown>): Promise<unknown> };
};

/** logConfigChange writes one info line for a change made by the current request's actor. */
export function logConfigChange(deps: ChangeDeps, msg: string, fields: Record<string, unknown>): void {
  deps.log?.info(msg, { actor: currentActor(), ...fields });
}

/** changedKeys lists which of `keys` differ between two definitions (compared as JSON), never their values. */
export function changedKeys<K extends string>(
  before: Partial<Record<K, unknown>>,
  after: Partial<Record<K, unknown>>,
  keys: readonly K[],
): K[] {
  return keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}

/** reportEnabled logs a disabled target enabled again (target: its key; label: how people name it) and tells target.enabled. */
export function reportEnabled(deps: ChangeDeps, target: string, label: string): void {
  const actor = currentActor();
  deps.log?.info("target enabled", { actor, target: label, targetKey: target });
  void deps.ops?.emitAbout("target.enabled", target, { actor });
}
