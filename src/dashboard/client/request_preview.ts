// What a delivery's request looks like: the target it goes to now (its "current target", docs/delivery.md)
// and the headers hookd adds, so the inspector can show them with secrets masked.
import { api } from "./api";
import type { CollectionView, CronJob, TriggerView, Webhook } from "./api_types";
import type { LogRow } from "./log_filters";
import { maskHeaders } from "./mask";

/** TargetRef is the trigger, webhook or cron job behind a delivery, as the API answers it (null when deleted). */
export type TargetRef =
  | { kind: "trigger"; collection: CollectionView | null; target: TriggerView | null }
  | { kind: "webhook"; target: Webhook | null }
  | { kind: "cron"; target: CronJob | null };

/** RequestTarget is what of a target shapes the request's headers. */
type RequestTarget = Pick<Webhook, "headers" | "jwtEnabled"> & { contentType?: string };

/** findTrigger picks a delivery's trigger from its collection: by id, else (a row without one) by action and URL. */
export function findTrigger(
  collection: CollectionView,
  row: Pick<LogRow, "trigger_id" | "action" | "url">,
): TriggerView | null {
  const triggers = collection.options.triggers as TriggerView[];
  if (row.trigger_id) return triggers.find((t) => t.id === row.trigger_id) ?? null;
  return (
    triggers.find((t) => t.action === row.action && t.url === row.url) ??
    triggers.find((t) => t.action === row.action) ??
    null
  );
}

/** loadTargetOf fetches the target of a delivery; a deleted one answers target null. */
export async function loadTargetOf(row: LogRow): Promise<TargetRef> {
  const missing = (err: unknown) => ((err as { status?: number }).status === 404 ? null : Promise.reject(err));
  if (row.source === "webhook" && row.webhook)
    return {
      kind: "webhook",
      target: await api<Webhook>("GET", `/api/webhooks/${encodeURIComponent(row.webhook)}`).catch(missing),
    };
  if (row.source === "cron" && row.cron_job)
    return {
      kind: "cron",
      target: await api<CronJob>("GET", `/api/cron/${encodeURIComponent(row.cron_job)}`).catch(missing),
    };
  const collection = row.collection
    ? await api<CollectionView>("GET", `/api/collections/${encodeURIComponent(row.collection)}`).catch(missing)
    : null;
  return { kind: "trigger", collection, target: collection ? findTrigger(collection, row) : null };
}

const MIME: Record<string, string> = {
  json: "application/json",
  text: "text/plain",
  form: "application/x-www-form-urlencoded",
};

/** HeaderLine is one request header: a plain value, a secret shown masked, or one hookd computes per attempt. */
export type HeaderLine = { name: string; value: string; kind: "plain" | "masked" | "per-attempt" };

/** requestHeaders lists the headers of an attempt: hookd's own, then the target's custom ones, secrets masked. */
export function requestHeaders(row: LogRow, target: RequestTarget | null): HeaderLine[] {
  const type = target?.contentType ? (MIME[target.contentType] ?? target.contentType) : "application/json";
  const lines: HeaderLine[] = [];
  if (!["GET", "HEAD"].includes(row.method)) lines.push({ name: "Content-Type", value: type, kind: "plain" });
  lines.push(
    { name: "User-Agent", value: "hookd/<version>", kind: "plain" },
    { name: "webhook-id", value: row.id, kind: "plain" },
  );
  lines.push(
    { name: "webhook-timestamp", value: "time of the attempt", kind: "per-attempt" },
    { name: "webhook-signature", value: "v1,<HMAC of this attempt>", kind: "per-attempt" },
  );
  if (target?.jwtEnabled)
    lines.push({ name: "Authorization", value: "Bearer <JWT signed for this attempt>", kind: "per-attempt" });
  for (const [name, value, secret] of maskHeaders(target?.headers ?? {}))
    lines.push({ name, value, kind: secret ? "masked" : "plain" });
  return lines;
}
