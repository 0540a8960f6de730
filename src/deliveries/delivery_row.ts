// A _webhook_logs row as the dispatcher sees it (what to send), read from a claim's RETURNING.
import type { Row } from "../db/client";
import { nullableText, parseHeaders } from "../lib/column_values";

/** Delivery is one claimed delivery: where it goes, what it carries and how many attempts are left. */
export interface Delivery {
  id: string;
  source: "trigger" | "webhook" | "cron";
  collection: string | null;
  action: string | null;
  webhook: string | null;
  cronJob: string | null;
  /** target is the key of the trigger, webhook or cron job it was sent for (target_key.ts); null for rows older than targets. */
  target: string | null;
  url: string;
  method: string;
  headers: Record<string, string>;
  payload: string | null;
  contentType: string;
  jwtEnabled: boolean;
  timeoutMs: number;
  targetHost: string;
  tries: number;
  retryLimit: number;
  /** orderingKey is set when later deliveries of the same trigger and key wait for this one (docs/delivery.md). */
  orderingKey: string | null;
}

/**
 * DELIVERY_COLUMNS are the columns rowToDelivery reads: a claim returns only these (turning
 * every column of the wide log row into JS values was a tenth of a draining thread's time).
 */
export const DELIVERY_COLUMNS = [
  "id",
  "source",
  "collection",
  "action",
  "webhook",
  "cron_job",
  "target",
  "url",
  "method",
  "headers",
  "payload",
  "content_type",
  "jwt_enabled",
  "timeout_ms",
  "target_host",
  "tries",
  "retry_limit",
  "ordering_key",
].join(", ");

/** rowToDelivery reads a claimed row; headers that are not a JSON object (a hand-written row) count as none. */
export function rowToDelivery(row: Row): Delivery {
  return {
    id: String(row.id),
    source: String(row.source) as Delivery["source"],
    collection: nullableText(row.collection),
    action: nullableText(row.action),
    webhook: nullableText(row.webhook),
    cronJob: nullableText(row.cron_job),
    target: nullableText(row.target),
    url: String(row.url),
    method: String(row.method || "POST").toUpperCase(),
    headers: parseHeaders(row.headers),
    payload: nullableText(row.payload),
    contentType: String(row.content_type || "application/json"),
    jwtEnabled: Number(row.jwt_enabled) === 1,
    timeoutMs: Number(row.timeout_ms) || 15_000,
    targetHost: String(row.target_host ?? ""),
    tries: Number(row.tries),
    retryLimit: Number(row.retry_limit),
    orderingKey: nullableText(row.ordering_key),
  };
}

/** jwtSubject names what fired a delivery, for the JWT's sub: collection:posts:create, webhook:<name>, cron:<name>. */
export function jwtSubject(d: Delivery): string {
  if (d.source === "trigger") return `collection:${d.collection}:${d.action}`;
  if (d.source === "webhook") return `webhook:${d.webhook}`;
  return `cron:${d.cronJob}`;
}
