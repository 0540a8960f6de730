// Enqueueing a delivery from code (standalone webhooks, HTTP cron jobs, retries), and the
// delivery a webhook's or HTTP cron job's settings make.
// Collection triggers enqueue from SQL instead (collections/capture_triggers.ts) so that
// capture shares the writing transaction.
import type { Db, InStatement } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Signals } from "../runtime/signals";
import { newDeliveryId } from "./delivery_id";
import { contentTypeHeader, sendsBody } from "../targets/request_body";
import type { RequestSettings } from "../targets/request_settings";
import { heldStatusSql } from "../targets/target_health";

/** DeliveryRequest is everything needed to send one delivery. */
export interface DeliveryRequest {
  source: "webhook" | "cron";
  webhook?: string;
  cronJob?: string;
  /** target is the key of the webhook or cron job (targets/target_key.ts), for its current settings, secret and health. */
  target?: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  payload: string | null;
  contentType: string;
  jwtEnabled: boolean;
  timeoutMs: number;
  retryLimit: number;
  /** paused makes the delivery wait as held; a disabled target holds it too. */
  paused: boolean;
}

/** toDeliveryRequest turns a webhook's or HTTP cron job's settings into the delivery to enqueue; GET and HEAD carry no body. */
export function toDeliveryRequest(
  from: Pick<DeliveryRequest, "source" | "webhook" | "cronJob" | "target">,
  url: string,
  settings: RequestSettings,
  body: string | null,
): DeliveryRequest {
  return {
    ...from,
    url,
    method: settings.method,
    headers: settings.headers,
    payload: sendsBody(settings.method) ? body : null,
    contentType: contentTypeHeader(settings.contentType),
    jwtEnabled: settings.jwtEnabled,
    timeoutMs: settings.timeoutMs,
    retryLimit: settings.retryLimit ?? 0,
    paused: settings.paused,
  };
}

/** enqueueStatement is the INSERT of one pending (or held) delivery, for use inside a caller's batch. */
export function enqueueStatement(req: DeliveryRequest, id: string, now: string): InStatement {
  return {
    sql: `INSERT INTO _webhook_logs (id, source, webhook, cron_job, target, url, method, headers, payload, content_type,
            jwt_enabled, timeout_ms, target_host, retry_limit, status, next_attempt_at, created_at, updated_at)
          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ${heldStatusSql("?5", req.paused)}, ?15, ?16, ?17)`,
    args: [
      id,
      req.source,
      req.webhook ?? null,
      req.cronJob ?? null,
      req.target ?? null,
      req.url,
      req.method,
      JSON.stringify(req.headers),
      req.payload,
      req.contentType,
      req.jwtEnabled ? 1 : 0,
      req.timeoutMs,
      new URL(req.url).host,
      req.retryLimit,
      now,
      now,
      now,
    ],
  };
}

/** enqueueDelivery stores one pending delivery, wakes the dispatcher and answers its id. */
export async function enqueueDelivery(
  deps: { db: Db; clock: Clock; signals: Pick<Signals, "deliveriesQueued"> },
  req: DeliveryRequest,
): Promise<string> {
  const id = newDeliveryId();
  await deps.db.execute(enqueueStatement(req, id, deps.clock.now().toISOString()));
  deps.signals.deliveriesQueued.emit();
  return id;
}
