// hookd's own operational events (docs/operating.md), delivered to the standalone webhooks that
// subscribe to them with `events`: each event becomes an ordinary delivery of that webhook,
// signed, retried and logged by the same engine. An event about a delivery to (or the health
// of) a subscribed webhook is not sent, so a failing ops receiver cannot feed itself.
import type { Db } from "../db/client";
import { newDeliveryId } from "../deliveries/delivery_id";
import { enqueueStatement, toDeliveryRequest } from "../deliveries/enqueue";
import type { Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
import type { Signals } from "../runtime/signals";
import { rowToRequestSettings } from "../targets/request_settings_row";
import { targetLabels } from "../targets/target_label";
import { webhookTarget } from "../targets/target_key";

/** OPS_EVENT_TYPES are the events a webhook may subscribe to. */
export const OPS_EVENT_TYPES = [
  "target.failing",
  "target.disabled",
  "target.enabled",
  "delivery.exhausted",
  "backlog.stale",
  "cron.failed",
] as const;
export type OpsEventType = (typeof OPS_EVENT_TYPES)[number];

/** OpsEventDeps is what sending events needs. */
export interface OpsEventDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  signals: Pick<Signals, "deliveriesQueued">;
}

/** OpsEvents enqueues events for their subscribers. */
export class OpsEvents {
  constructor(private deps: OpsEventDeps) {}

  /** emit sends an event to every active webhook subscribed to its type; it never throws (a failure is logged). */
  emit(type: OpsEventType, data: Record<string, unknown>): Promise<number> {
    return this.send(type, data, null).catch((err) => {
      this.deps.log.error("sending an operational event failed", { type, error: String(err) });
      return 0;
    });
  }

  /** emitAbout sends an event about a target (its key): with its label in data.target, and never about a subscriber itself. */
  emitAbout(type: OpsEventType, target: string, data: Record<string, unknown>): Promise<number> {
    return this.send(type, data, target).catch((err) => {
      this.deps.log.error("sending an operational event failed", { type, error: String(err) });
      return 0;
    });
  }

  private async send(type: OpsEventType, data: Record<string, unknown>, about: string | null): Promise<number> {
    const { db, clock } = this.deps;
    const rs = await db.execute({
      sql: "SELECT * FROM _webhooks WHERE events IS NOT NULL AND active = 1 AND ? IN (SELECT value FROM json_each(events))",
      args: [type],
    });
    if (rs.rows.length === 0) return 0;
    if (about !== null) {
      const all = await db.execute("SELECT id FROM _webhooks WHERE events IS NOT NULL AND events != '[]'");
      if (all.rows.some((r) => webhookTarget(String(r.id)) === about)) return 0;
      data = { target: (await targetLabels(db, [about])).get(about), ...data };
    }
    const now = clock.now().toISOString();
    const body = JSON.stringify({ type, timestamp: now, data });
    const statements = rs.rows.map((row) =>
      enqueueStatement(
        toDeliveryRequest(
          { source: "webhook", webhook: String(row.name), target: webhookTarget(String(row.id)) },
          String(row.url),
          // Events are JSON whatever the webhook's own body is.
          { ...rowToRequestSettings(row), contentType: "json" },
          body,
        ),
        newDeliveryId(),
        now,
      ),
    );
    await db.batch(statements, "write");
    this.deps.signals.deliveriesQueued.emit();
    return statements.length;
  }
}
