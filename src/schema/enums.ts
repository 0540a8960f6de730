// GraphQL enums for the closed sets of values (docs/api.md): a typo is a validation error naming
// the allowed values, and tools can complete them. Each enum value stands for the lower-case
// string the REST API and the database use, so resolvers and inputs keep those strings.
import { LOG_SOURCES, LOG_STATUSES } from "../deliveries/log_filter";
import { TRIGGER_ACTIONS } from "../collections/collection_types";
import { HTTP_METHODS } from "../targets/target_input";
import { builder } from "./builder";

// Typed as string on the TypeScript side: stored rows carry plain strings, and the enum itself checks the set.
function enumOf(name: string, description: string, values: readonly string[]) {
  const entries = values.map((v) => [v.toUpperCase(), { value: v }] as const);
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(entries) as Record<string, { value: string }>,
  });
}

/** DeliveryStatus is a delivery's state. */
export const DeliveryStatus = enumOf("DeliveryStatus", "The state of a delivery", LOG_STATUSES);
/** DeliverySource is what created a delivery. */
export const DeliverySource = enumOf("DeliverySource", "What created a delivery", LOG_SOURCES);
/** RecordAction is the record change a trigger fires on. */
export const RecordAction = enumOf("RecordAction", "A change to a record", TRIGGER_ACTIONS);
/** HttpMethod is the method a target is called with. */
export const HttpMethod = enumOf("HttpMethod", "An HTTP method", HTTP_METHODS);
/** CronRunStatus is how a cron run went. */
export const CronRunStatus = enumOf("CronRunStatus", "How a cron job's run went", [
  "running",
  "success",
  "failed",
  "skipped",
] as const);
/** CronRunKind says whether a run was scheduled or asked for. */
export const CronRunKind = enumOf("CronRunKind", "schedule, or manual for run-now", ["schedule", "manual"] as const);
