// Enqueueing a delivery from code (standalone webhooks, HTTP cron jobs, retries).
// Collection triggers enqueue from SQL instead (collections/capture_triggers.ts) so that
// capture shares the writing transaction.
import type { InStatement } from "@libsql/client";
import type { Deps } from "../deps";

/** DeliveryRequest is everything needed to send one delivery. */
export interface DeliveryRequest {
  source: "webhook" | "cron";
  webhook?: string;
  cronJob?: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  payload: string | null;
  contentType: string;
  jwtEnabled: boolean;
  timeoutMs: number;
  retryLimit: number;
}

/** enqueueStatement is the INSERT of one pending delivery, for use inside a caller's batch. */
export function enqueueStatement(req: DeliveryRequest, id: string, now: string): InStatement {
  return {
    sql: `INSERT INTO _webhook_logs (id, source, webhook, cron_job, url, method, headers, payload, content_type,
            jwt_enabled, timeout_ms, target_host, retry_limit, status, next_attempt_at, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
    args: [
      id, req.source, req.webhook ?? null, req.cronJob ?? null, req.url, req.method, JSON.stringify(req.headers), req.payload,
      req.contentType, req.jwtEnabled ? 1 : 0, req.timeoutMs, new URL(req.url).host, req.retryLimit, now, now, now,
    ],
  };
}

/** newDeliveryId makes a delivery id (32 hex digits), the form capture triggers produce in SQL. */
export function newDeliveryId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** enqueueDelivery stores one pending delivery, wakes the dispatcher and answers its id. */
export async function enqueueDelivery(deps: Pick<Deps, "db" | "clock" | "wake">, req: DeliveryRequest): Promise<string> {
  const id = newDeliveryId();
  await deps.db.execute(enqueueStatement(req, id, deps.clock.now().toISOString()));
  deps.wake();
  return id;
}
