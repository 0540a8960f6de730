// Migrations are imported as text so `bun build --compile` embeds them in the binary.
import core from "./001_core.sql" with { type: "text" };
import deliveries from "./002_deliveries.sql" with { type: "text" };
import cronWebhooks from "./003_cron_webhooks.sql" with { type: "text" };
import claimIndexes from "./004_claim_indexes.sql" with { type: "text" };
import targets from "./005_targets.sql" with { type: "text" };
import ordering from "./006_ordering.sql" with { type: "text" };
import logFilters from "./007_log_filters.sql" with { type: "text" };
import instances from "./008_instances.sql" with { type: "text" };
import latestAttempt from "./009_latest_attempt.sql" with { type: "text" };
import unattended from "./011_unattended.sql" with { type: "text" };
import apiKeys from "./012_api_keys.sql" with { type: "text" };
import deliveryControl from "./013_delivery_control.sql" with { type: "text" };
import cronRunning from "./015_cron_running.sql" with { type: "text" };

/** Migration is one numbered SQL file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** MIGRATIONS lists every migration in the order it must be applied. */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: "core", sql: core },
  { version: 2, name: "deliveries", sql: deliveries },
  { version: 3, name: "cron_webhooks", sql: cronWebhooks },
  { version: 4, name: "claim_indexes", sql: claimIndexes },
  { version: 5, name: "targets", sql: targets },
  { version: 6, name: "ordering", sql: ordering },
  { version: 7, name: "log_filters", sql: logFilters },
  { version: 8, name: "instances", sql: instances },
  { version: 9, name: "latest_attempt", sql: latestAttempt },
  { version: 11, name: "unattended", sql: unattended },
  { version: 12, name: "api_keys", sql: apiKeys },
  { version: 13, name: "delivery_control", sql: deliveryControl },
  { version: 15, name: "cron_running", sql: cronRunning },
];
