-- Log filters (docs/operating.md): every filter combination pages newest first from an index, at a
-- bounded cost on the write path. Listings order by created_at DESC, rowid DESC; each index
-- has its equality columns, then created_at, then (in two of them) columns that are only
-- checked, so equality on the leading columns plus a since/until range is one index range
-- walked backwards: no full scan, no sort of the matches (rows of the same millisecond are put
-- in rowid order as they stream), and LIMIT stops early. Filters the index holds as trailing
-- columns are checked in the index, so counting needs no table lookups.
--
-- What it costs: a delivery's claim and its recorded attempt each rewrite only the status
-- index here (and updated_at below); the others are written once, at insert, since their
-- columns never change. Columns most rows leave NULL get partial indexes, which cost nothing
-- for the rows they skip (trigger deliveries never touch the webhook and cron ones).
DROP INDEX IF EXISTS _webhook_logs_collection;
DROP INDEX IF EXISTS _webhook_logs_collection_status;
DROP INDEX IF EXISTS _webhook_logs_status;
-- No filter, source, since/until: newest first, source checked in the index.
CREATE INDEX IF NOT EXISTS _webhook_logs_created ON _webhook_logs (created_at, source);
-- status with anything: the other common filters ride along, so "failed deliveries of this
-- collection / trigger / source / HTTP status" count from the index alone.
CREATE INDEX IF NOT EXISTS _webhook_logs_status_created ON _webhook_logs (status, created_at, source, http_status, collection, trigger_id);
CREATE INDEX IF NOT EXISTS _webhook_logs_collection_created ON _webhook_logs (collection, created_at, trigger_id) WHERE collection IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_trigger_created ON _webhook_logs (trigger_id, created_at) WHERE trigger_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_record_created ON _webhook_logs (record_id, created_at) WHERE record_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_webhook_created ON _webhook_logs (webhook, created_at) WHERE webhook IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_webhook_status_created ON _webhook_logs (webhook, status, created_at) WHERE webhook IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_cron_created ON _webhook_logs (cron_job, created_at) WHERE cron_job IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_cron_status_created ON _webhook_logs (cron_job, status, created_at) WHERE cron_job IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_http_created ON _webhook_logs (http_status, created_at) WHERE http_status IS NOT NULL;

-- Live updates (webhookLogUpdated) poll for rows changed since a cursor, while someone
-- subscribes. Every state change rewrites this entry too.
CREATE INDEX IF NOT EXISTS _webhook_logs_updated ON _webhook_logs (updated_at);

-- Background jobs that one instance at a time may run (retention passes). A pass is claimed
-- by one UPDATE: the instance whose update lands while the job is due and unleased owns it.
CREATE TABLE IF NOT EXISTS _jobs (
  name             TEXT PRIMARY KEY,
  owner            TEXT,
  lease_expires_at TEXT,
  next_run_at      TEXT NOT NULL DEFAULT '',
  last_result      TEXT
);
