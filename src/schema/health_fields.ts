// GraphQL fields for a target's health (docs/delivery.md, pause and health), shared by Trigger, Webhook and CronJob.
import type { TargetHealth } from "../targets/target_health";
import type { builder } from "./builder";

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** healthOutputFields defines paused and the health fields on an object type whose parent carries them. */
export function healthOutputFields<Parent extends TargetHealth & { paused: boolean }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<Types, Parent>,
) {
  return {
    paused: t.boolean({ description: "New deliveries wait as held until resumed", resolve: (h) => h.paused }),
    lastDeliveryAt: t.string({
      nullable: true,
      description: "When the latest delivery ended",
      resolve: (h) => h.lastDeliveryAt,
    }),
    lastStatus: t.string({ nullable: true, description: "success or failed", resolve: (h) => h.lastStatus }),
    consecutiveFailures: t.int({
      description: "Deliveries that ended failed since the last success",
      resolve: (h) => h.consecutiveFailures,
    }),
    failingSince: t.string({ nullable: true, resolve: (h) => h.failingSince }),
    disabledAt: t.string({
      nullable: true,
      description: "Set when hookd disabled the target; its deliveries are held",
      resolve: (h) => h.disabledAt,
    }),
    disabledReason: t.string({ nullable: true, resolve: (h) => h.disabledReason }),
  };
}
