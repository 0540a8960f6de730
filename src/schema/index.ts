// Imports every feature file (each adds its types to the builder) and builds the schema.
import { builder } from "./builder";
import "./collections";
import "./cron";
import "./keys";
import "./records";
import "./secrets";
import "./webhook_logs";
import "./webhook_log_bulk";
import "./subscriptions";
import "./transform_preview";
import "./triggers";
import "./webhooks";
import "./backups";

/** schema is hookd's whole GraphQL schema. */
export const schema = builder.toSchema({ sortSchema: true });
