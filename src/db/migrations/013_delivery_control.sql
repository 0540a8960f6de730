-- Delivery control (docs/control.md). Triggers keep these in their JSON (transform, rateLimit,
-- maxInFlight); standalone webhooks and HTTP cron jobs get columns. NULL: none.
ALTER TABLE _webhooks ADD COLUMN transform TEXT;        -- JSONata expression shaping the body sent
ALTER TABLE _webhooks ADD COLUMN rate_limit REAL;       -- deliveries per second
ALTER TABLE _webhooks ADD COLUMN max_in_flight INTEGER; -- attempts under way at once
ALTER TABLE _cron_jobs ADD COLUMN transform TEXT;
ALTER TABLE _cron_jobs ADD COLUMN rate_limit REAL;
ALTER TABLE _cron_jobs ADD COLUMN max_in_flight INTEGER;

-- A rate-limited target's next free send slot (ms since the epoch), shared by every instance:
-- each send takes the slot with one conditional UPDATE, so the limit holds however many send.
CREATE TABLE IF NOT EXISTS _target_throttle (
  target  TEXT PRIMARY KEY,
  next_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Idempotency-Key answers, per key owner ("admin" or the API key id), kept 24 h (retention
-- prunes them). A row without status is a request still running under that key.
CREATE TABLE IF NOT EXISTS _idempotency_keys (
  owner       TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,  -- SHA-256 of method, path, query and body
  status      INTEGER,
  headers     TEXT,           -- JSON object of the answer's headers worth repeating
  body        TEXT,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (owner, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS _idempotency_keys_created ON _idempotency_keys (created_at);
