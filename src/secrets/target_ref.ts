// Naming a target the way clients do — a collection's trigger by id, a webhook or a cron job
// by name — and finding its key, for the secret endpoints of REST and GraphQL alike.
import { findTrigger } from "../collections/trigger_lookup";
import { getCronJob } from "../cron/cron_store";
import type { Deps } from "../deps";
import { readSecret, rotateSecret, type RotateInput } from "../targets/secret_store";
import { cronTarget, webhookTarget } from "../targets/target_key";
import { getWebhook } from "../webhooks/webhook_store";
import { logConfigChange, type ChangeDeps } from "../auth/config_changes";

/** TargetRef names a trigger, a standalone webhook or a cron job. */
export type TargetRef =
  | { kind: "trigger"; collection: string; id: string }
  | { kind: "webhook"; name: string }
  | { kind: "cron"; name: string };

type RefDeps = Pick<Deps, "db" | "clock" | "signals" | "atRest"> & ChangeDeps;

/** resolveTarget answers a target's key and a description for messages; an unknown one is a 404. */
export async function resolveTarget(deps: RefDeps, ref: TargetRef): Promise<{ target: string; what: string }> {
  if (ref.kind === "trigger") return findTrigger(deps, ref.collection, ref.id);
  if (ref.kind === "webhook")
    return { target: webhookTarget((await getWebhook(deps, ref.name)).id), what: `webhook "${ref.name}"` };
  return { target: cronTarget((await getCronJob(deps, ref.name)).id), what: `cron job "${ref.name}"` };
}

/** targetSecret answers the target's current signing secret. */
export async function targetSecret(deps: RefDeps, ref: TargetRef): Promise<{ key: string }> {
  const { target, what } = await resolveTarget(deps, ref);
  return { key: await readSecret(deps, target, what) };
}

/** rotateTargetSecret replaces the target's secret; the old one keeps signing for the grace period. */
export async function rotateTargetSecret(deps: RefDeps, ref: TargetRef, input: RotateInput): Promise<{ key: string }> {
  const { target, what } = await resolveTarget(deps, ref);
  const key = await rotateSecret(deps, target, input, what);
  logConfigChange(deps, "signing secret rotated", { of: what, gracePeriodSeconds: input.gracePeriodSeconds ?? null });
  return { key };
}
