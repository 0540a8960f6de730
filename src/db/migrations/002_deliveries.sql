-- Every outbound HTTP delivery, from its enqueueing to its last attempt. Rows are written
-- by the capture triggers of collection tables (same transaction as the write), by
-- standalone webhooks and by HTTP cron jobs.
CREATE TABLE IF NOT EXISTS _webhook_logs (
  id               TEXT PRIMARY KEY,
  source           TEXT NOT NULL,             -- trigger | webhook | cron
  collection       TEXT,
  action           TEXT,
  record_id        TEXT,
  webhook          TEXT,
  cron_job         TEXT,
  url              TEXT NOT NULL,
  method           TEXT NOT NULL DEFAULT 'POST',
  headers          TEXT NOT NULL DEFAULT '{}', -- custom request headers, JSON object
  payload          TEXT,                      -- request body as sent
  content_type     TEXT NOT NULL DEFAULT 'application/json',
  jwt_enabled      INTEGER NOT NULL DEFAULT 0,
  timeout_ms       INTEGER NOT NULL DEFAULT 15000,
  target_host      TEXT NOT NULL DEFAULT '',  -- host[:port] of url, for per-host concurrency
  status           TEXT NOT NULL DEFAULT 'pending', -- pending | processing | success | failed
  http_status      INTEGER,
  error_msg        TEXT,
  response_body    TEXT,
  tries            INTEGER NOT NULL DEFAULT 0,
  retry_limit      INTEGER NOT NULL DEFAULT 5,
  next_attempt_at  TEXT NOT NULL,
  lease_owner      TEXT,
  lease_expires_at TEXT,
  duration_ms      INTEGER,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);

-- Claiming: due pending rows, and processing rows whose lease ran out.
CREATE INDEX IF NOT EXISTS _webhook_logs_due ON _webhook_logs (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS _webhook_logs_lease ON _webhook_logs (status, lease_expires_at);
-- Listing newest first (rowid order) filtered by collection, status or both: with equality
-- on every column of one of these, its entries are already in rowid order, so no sort.
CREATE INDEX IF NOT EXISTS _webhook_logs_collection ON _webhook_logs (collection);
CREATE INDEX IF NOT EXISTS _webhook_logs_collection_status ON _webhook_logs (collection, status);
CREATE INDEX IF NOT EXISTS _webhook_logs_status ON _webhook_logs (status);

-- Signing keys for webhook JWTs; public halves are served at /.well-known/jwks.json.
CREATE TABLE IF NOT EXISTS _jwt_keys (
  kid         TEXT PRIMARY KEY,
  alg         TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  public_jwk  TEXT NOT NULL,
  created     TEXT NOT NULL
);
