// Settings of what runs beside the API: retention of finished deliveries, SQL cron job runs and
// backups. Part of the settings table (src/config.ts).
import { setting } from "./setting";
import { ConfigError, duration, integer } from "./setting_parsers";

/** OPERATIONS_SETTINGS are what runs beside the API: retention, SQL cron jobs and backups. */
export const OPERATIONS_SETTINGS = [
  setting({
    key: "retainSuccessMs",
    env: "HOOKD_RETAIN_SUCCESS",
    default: "7d",
    help: "Delete success and cancelled deliveries (with their attempts) this long after they finished; 0 keeps them forever",
    doc: "Delete `success` and `cancelled` deliveries (with their attempts) this long after they finished (`90s`, `12h`, `7d`; a bare number is seconds); `0` keeps them forever",
    parse: duration(1_000, { zero: true }),
  }),
  setting({
    key: "retainFailedMs",
    env: "HOOKD_RETAIN_FAILED",
    default: "30d",
    help: "Delete failed deliveries (with their attempts) this long after they failed; 0 keeps them forever",
    doc: "Delete `failed` deliveries (with their attempts) this long after they failed; `0` keeps them forever",
    parse: duration(1_000, { zero: true }),
  }),
  setting({
    key: "retentionEveryMs",
    env: "HOOKD_RETENTION_EVERY",
    default: "1m",
    help: "How often a retention pass runs (one instance at a time)",
    parse: duration(100),
  }),
  setting({
    key: "sqlJobTimeoutMs",
    env: "HOOKD_SQL_JOB_TIMEOUT",
    default: "30s",
    help: "Stop a SQL cron job run that takes longer (on a file or a libSQL server), keeping none of its writes; 0 lets runs take any time",
    doc: "Stop a SQL cron job run that takes longer (on a file or a libSQL server; not on `:memory:`), keeping none of its writes (see [What SQL jobs may touch](security.md#what-sql-jobs-may-touch)); `0` lets runs take any time",
    parse: duration(100, { zero: true }),
  }),
  setting({
    key: "sqlJobProcesses",
    env: "HOOKD_SQL_JOB_PROCESSES",
    default: "2",
    help: "SQL cron job runs at once (on a file, each in a job process of about 65 MB); a run that finds them all busy waits, until just before its job's next tick",
    doc: "SQL cron job runs at once (on a file, each in a job process of about 65 MB); a run that finds them all busy waits, and a scheduled one that cannot start before its job's next tick is recorded `skipped` (see [What SQL jobs may touch](security.md#what-sql-jobs-may-touch))",
    parse: integer(1, 64),
  }),
  setting({
    key: "backupDir",
    env: "HOOKD_BACKUP_DIR",
    default: "./data/backups",
    help: "Where POST /api/backups and HOOKD_BACKUP_EVERY write backups of the database file",
    parse: (raw, name) => {
      if (raw.trim() === "") throw new ConfigError(`${name}: "" is not accepted; expected a directory`);
      return raw;
    },
  }),
  setting({
    key: "backupEveryMs",
    env: "HOOKD_BACKUP_EVERY",
    default: "0",
    help: "Back the database file up this often (24h, 6h; one instance at a time); 0 turns scheduled backups off",
    doc: "Back the database file up this often (`24h`, `6h`; one instance at a time); `0` turns scheduled backups off ([Backups](operating.md#backups-and-restore))",
    parse: duration(60_000, { zero: true }),
  }),
  setting({
    key: "backupKeep",
    env: "HOOKD_BACKUP_KEEP",
    default: "7",
    help: "Scheduled backups keep the newest this many backups in HOOKD_BACKUP_DIR",
    parse: integer(1, 100_000),
  }),
] as const;
