// "Send a test delivery" for one trigger: a sample payload of the trigger's shape, queued as
// an ordinary delivery of that trigger, so it is signed, retried, held while paused and logged
// like any other (and a receiver can tell it apart by `"test": true`).
import type { Deps } from "../deps";
import { newDeliveryId } from "../deliveries/delivery_id";
import { heldStatusSql } from "../targets/target_health";
import { findTrigger } from "./trigger_lookup";

/** TestDelivery points at the queued test delivery; its progress is in the webhook logs. */
export interface TestDelivery {
  deliveryId: string;
  status: "pending" | "held";
  logUrl: string;
}

/** sendTestDelivery queues one delivery of the trigger with a sample record whose fields are all null. */
export async function sendTestDelivery(
  deps: Pick<Deps, "db" | "clock" | "signals">,
  collectionName: string,
  triggerId: string,
): Promise<TestDelivery> {
  const { collection, trigger, target } = await findTrigger(deps, collectionName, triggerId);
  const id = newDeliveryId();
  const now = deps.clock.now().toISOString();
  const record = {
    id: "test",
    collectionId: collection.id,
    collectionName: collection.name,
    created: now,
    updated: now,
    ...Object.fromEntries(collection.schema.map((f) => [f.name, null])),
  };
  const payload = {
    id,
    action: trigger.action,
    collection: collection.name,
    record,
    oldRecord: trigger.action === "create" ? null : record,
    timestamp: now,
    test: true,
  };
  const rs = await deps.db.execute({
    sql: `INSERT INTO _webhook_logs (id, source, collection, action, record_id, trigger_id, target, url, method, headers, payload,
            jwt_enabled, timeout_ms, target_host, retry_limit, status, next_attempt_at, created_at, updated_at)
          VALUES (?1, 'trigger', ?2, ?3, 'test', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ${heldStatusSql("?5", trigger.paused)}, ?14, ?14, ?14)
          RETURNING status`,
    args: [
      id,
      collection.name,
      trigger.action,
      trigger.id,
      target,
      trigger.url,
      trigger.method,
      JSON.stringify(trigger.headers),
      JSON.stringify(payload),
      trigger.jwtEnabled ? 1 : 0,
      trigger.timeoutMs,
      new URL(trigger.url).host,
      trigger.retryLimit ?? 0,
      now,
    ],
  });
  deps.signals.deliveriesQueued.emit();
  return {
    deliveryId: id,
    status: String(rs.rows[0]!.status) as TestDelivery["status"],
    logUrl: `/api/webhooks/logs/${id}`,
  };
}
