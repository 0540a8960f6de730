-- Log filters (SPEC §10): every filter combination pages newest first from an index.
-- Listings order by created_at DESC, rowid DESC, and every index below ends in created_at
-- (rowid follows implicitly, or after the extra columns of the status index), so equality on its leading columns plus a since/until range
-- is one index range walked backwards: no sort, no full scan, and LIMIT stops early. Filters
-- the chosen index does not cover are checked on the rows it yields. Columns most rows leave
-- NULL get partial indexes, which cost nothing for the rows they skip.
DROP INDEX IF EXISTS _webhook_logs_collection;
DROP INDEX IF EXISTS _webhook_logs_collection_status;
DROP INDEX IF EXISTS _webhook_logs_status;
CREATE INDEX IF NOT EXISTS _webhook_logs_created ON _webhook_logs (created_at);
-- source and http_status ride along in the status index so that the common "status plus
-- source / HTTP status" questions count from the index alone; a status change rewrites this
-- entry anyway, so they cost no extra write.
CREATE INDEX IF NOT EXISTS _webhook_logs_status_created ON _webhook_logs (status, created_at, source, http_status);
CREATE INDEX IF NOT EXISTS _webhook_logs_source_created ON _webhook_logs (source, created_at);
CREATE INDEX IF NOT EXISTS _webhook_logs_collection_created ON _webhook_logs (collection, created_at) WHERE collection IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_collection_status_created ON _webhook_logs (collection, status, created_at) WHERE collection IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_trigger_created ON _webhook_logs (trigger_id, created_at) WHERE trigger_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_trigger_status_created ON _webhook_logs (trigger_id, status, created_at) WHERE trigger_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_record_created ON _webhook_logs (record_id, created_at) WHERE record_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_webhook_created ON _webhook_logs (webhook, created_at) WHERE webhook IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_webhook_status_created ON _webhook_logs (webhook, status, created_at) WHERE webhook IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_cron_created ON _webhook_logs (cron_job, created_at) WHERE cron_job IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_cron_status_created ON _webhook_logs (cron_job, status, created_at) WHERE cron_job IS NOT NULL;
CREATE INDEX IF NOT EXISTS _webhook_logs_http_created ON _webhook_logs (http_status, created_at) WHERE http_status IS NOT NULL;

-- Live updates (webhookLogUpdated) poll for rows changed since a cursor, while someone
-- subscribes. This is the one index every state change rewrites in addition to the status ones.
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
