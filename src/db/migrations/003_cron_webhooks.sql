-- Standalone webhooks, cron jobs and the history of cron runs.
CREATE TABLE IF NOT EXISTS _webhooks (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  url          TEXT NOT NULL,
  method       TEXT NOT NULL DEFAULT 'POST',
  headers      TEXT NOT NULL DEFAULT '{}',
  body         TEXT,                        -- request body as sent, already encoded
  content_type TEXT NOT NULL DEFAULT 'json', -- json | text | form | a MIME type
  retry_limit  INTEGER NOT NULL DEFAULT 5,
  jwt_enabled  INTEGER NOT NULL DEFAULT 0,
  timeout_ms   INTEGER NOT NULL DEFAULT 15000,
  active       INTEGER NOT NULL DEFAULT 1,
  created      TEXT NOT NULL,
  updated      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS _cron_jobs (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  schedule     TEXT NOT NULL,
  timezone     TEXT NOT NULL DEFAULT 'UTC',
  type         TEXT NOT NULL,               -- sql | http
  sql          TEXT,
  database     TEXT NOT NULL DEFAULT 'default',
  url          TEXT,
  method       TEXT NOT NULL DEFAULT 'POST',
  headers      TEXT NOT NULL DEFAULT '{}',
  body         TEXT,
  content_type TEXT NOT NULL DEFAULT 'json',
  retry_limit  INTEGER NOT NULL DEFAULT 5,
  jwt_enabled  INTEGER NOT NULL DEFAULT 0,
  timeout_ms   INTEGER NOT NULL DEFAULT 15000,
  active       INTEGER NOT NULL DEFAULT 1,
  created      TEXT NOT NULL,
  updated      TEXT NOT NULL
);

-- One row per tick; the unique key is how instances agree that a tick runs once in all.
-- A running row belongs to its instance until lease_expires_at; a row still running after
-- that was abandoned by a stopped instance and no longer blocks the next tick.
CREATE TABLE IF NOT EXISTS _cron_runs (
  id               TEXT PRIMARY KEY,
  job              TEXT NOT NULL,
  kind             TEXT NOT NULL DEFAULT 'schedule', -- schedule | manual
  scheduled_at     TEXT NOT NULL,
  started_at       TEXT NOT NULL,
  finished_at      TEXT,
  duration_ms      INTEGER,
  status           TEXT NOT NULL,              -- running | success | failed | skipped
  rows_changed     INTEGER,
  error            TEXT,
  delivery_id      TEXT,
  instance         TEXT NOT NULL,
  lease_expires_at TEXT,
  UNIQUE (job, scheduled_at)
);
CREATE INDEX IF NOT EXISTS _cron_runs_status ON _cron_runs (job, status);
