// The server's API types, imported type-only: the dashboard ships inside the same binary, so it
// is typed against exactly what the server answers (nothing of the server is bundled).
export type { ApiKey, NewApiKey } from "../../auth/key_store";
export type { Backup } from "../../backups/backup_store";
export type { CollectionView, TriggerView } from "../../collections/collection_health";
export type { Collection, Field, FieldType, Trigger, TriggerSpec } from "../../collections/collection_types";
export type { CronJob, CronJobSpec } from "../../cron/cron_input";
export type { CronRun } from "../../cron/cron_runs";
export type { Attempt } from "../../deliveries/attempt_store";
export type { DeliveryStats, MinuteCount } from "../../deliveries/log_stats";
export type { LogEntry } from "../../deliveries/log_store";
export type { Page } from "../../lib/page";
export type { TargetHealth } from "../../targets/target_health";
export type { Webhook, WebhookSpec } from "../../webhooks/webhook_input";
export type { Scope } from "../../auth/scopes";
