-- Targets (collection triggers, standalone webhooks, HTTP cron jobs) get an identity that
-- deliveries point at, a signing secret, health, and a history of every attempt.
-- A target key is 'trigger:<collection id>:<trigger id>', 'webhook:<webhook id>' or
-- 'cron:<job id>': ids, not names, so a rename keeps the secret, health and queue.

-- The signing key's raw bytes (shown as whsec_ + base64); the previous key stays valid
-- until previous_expires_at after a rotation. Its own table, so no list or get answer
-- that reads a definition can ever include it.
CREATE TABLE IF NOT EXISTS _target_secrets (
  target              TEXT PRIMARY KEY,
  key                 BLOB NOT NULL,
  previous_key        BLOB,
  previous_expires_at TEXT
);

CREATE TABLE IF NOT EXISTS _target_health (
  target               TEXT PRIMARY KEY,
  last_delivery_at     TEXT,
  last_status          TEXT,                 -- success | failed
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  failing_since        TEXT,
  disabled_at          TEXT,
  disabled_reason      TEXT
);

-- One row per attempt; n counts every attempt of the delivery, manual retries included.
CREATE TABLE IF NOT EXISTS _webhook_attempts (
  delivery_id   TEXT NOT NULL,
  n             INTEGER NOT NULL,
  at            TEXT NOT NULL,
  url           TEXT NOT NULL,
  http_status   INTEGER,
  duration_ms   INTEGER,
  error_msg     TEXT,
  response_body TEXT,
  PRIMARY KEY (delivery_id, n)
) WITHOUT ROWID;

-- Each recorded attempt raises tries (a retry resets it to 0 first, and then the attempt
-- raises it again), so the history is written by the same UPDATE that records the attempt on
-- the log row: no statement of its own, and never one without the other. `at` is when the
-- attempt started: the record's time minus its duration.
CREATE TRIGGER IF NOT EXISTS _webhook_attempts_record AFTER UPDATE OF tries ON _webhook_logs
WHEN NEW.tries > OLD.tries
BEGIN
  INSERT INTO _webhook_attempts (delivery_id, n, at, url, http_status, duration_ms, error_msg, response_body)
  VALUES (NEW.id, coalesce((SELECT max(n) FROM _webhook_attempts WHERE delivery_id = NEW.id), 0) + 1,
          strftime('%Y-%m-%dT%H:%M:%fZ', NEW.updated_at, '-' || (coalesce(NEW.duration_ms, 0) / 1000.0) || ' seconds'),
          NEW.url, NEW.http_status, NEW.duration_ms, NEW.error_msg, NEW.response_body);
END;

-- A delivery's attempts go with it, whoever deletes it (retention, a SQL shell).
CREATE TRIGGER IF NOT EXISTS _webhook_attempts_forget AFTER DELETE ON _webhook_logs
BEGIN
  DELETE FROM _webhook_attempts WHERE delivery_id = OLD.id;
END;

-- Bumped by every change to a target definition or secret, so each instance's cache of
-- current targets reloads only when something changed (one tiny read per poll otherwise).
CREATE TABLE IF NOT EXISTS _targets_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT OR IGNORE INTO _targets_version (id, version) VALUES (1, 1);

CREATE TRIGGER IF NOT EXISTS _targets_bump_collections_i AFTER INSERT ON _collections BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_collections_u AFTER UPDATE ON _collections BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_collections_d AFTER DELETE ON _collections BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_webhooks_i AFTER INSERT ON _webhooks BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_webhooks_u AFTER UPDATE ON _webhooks BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_webhooks_d AFTER DELETE ON _webhooks BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_cron_i AFTER INSERT ON _cron_jobs BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_cron_u AFTER UPDATE ON _cron_jobs BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_cron_d AFTER DELETE ON _cron_jobs BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_secrets_i AFTER INSERT ON _target_secrets BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_secrets_u AFTER UPDATE ON _target_secrets BEGIN UPDATE _targets_version SET version = version + 1; END;
CREATE TRIGGER IF NOT EXISTS _targets_bump_secrets_d AFTER DELETE ON _target_secrets BEGIN UPDATE _targets_version SET version = version + 1; END;

ALTER TABLE _webhook_logs ADD COLUMN trigger_id TEXT;
ALTER TABLE _webhook_logs ADD COLUMN target TEXT;
ALTER TABLE _webhooks ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE _cron_jobs ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;

-- Releasing a paused or disabled target's deliveries finds them without touching the index
-- for the rows that are not held (the hot path never writes this one).
CREATE INDEX IF NOT EXISTS _webhook_logs_held ON _webhook_logs (target) WHERE status = 'held';

-- Existing triggers get ids (16 hex digits, the form hookd generates)…
UPDATE _collections SET options = json_set(options, '$.triggers', (
  SELECT json_group_array(CASE WHEN json_type(t.value, '$.id') = 'text' THEN json(t.value)
                               ELSE json_set(t.value, '$.id', lower(hex(randomblob(8)))) END)
  FROM (SELECT value FROM json_each(_collections.options, '$.triggers') ORDER BY key) AS t))
WHERE json_type(options, '$.triggers') = 'array';

-- …and every existing target a secret of 32 random bytes.
INSERT OR IGNORE INTO _target_secrets (target, key)
  SELECT 'trigger:' || c.id || ':' || (t.value ->> '$.id'), randomblob(32)
  FROM _collections AS c, json_each(c.options, '$.triggers') AS t;
INSERT OR IGNORE INTO _target_secrets (target, key) SELECT 'webhook:' || id, randomblob(32) FROM _webhooks;
INSERT OR IGNORE INTO _target_secrets (target, key) SELECT 'cron:' || id, randomblob(32) FROM _cron_jobs;

-- Unfinished deliveries of the previous release point at their target, so they are signed
-- and sent to the current URL. A trigger is recognised by its collection, action and URL.
UPDATE _webhook_logs SET (trigger_id, target) = (
  SELECT t.value ->> '$.id', 'trigger:' || c.id || ':' || (t.value ->> '$.id')
  FROM _collections AS c, json_each(c.options, '$.triggers') AS t
  WHERE c.name = _webhook_logs.collection AND t.value ->> '$.action' = _webhook_logs.action AND t.value ->> '$.url' = _webhook_logs.url
  LIMIT 1)
WHERE source = 'trigger' AND status IN ('pending', 'processing');
UPDATE _webhook_logs SET target = (SELECT 'webhook:' || w.id FROM _webhooks AS w WHERE w.name = _webhook_logs.webhook)
WHERE source = 'webhook' AND status IN ('pending', 'processing');
UPDATE _webhook_logs SET target = (SELECT 'cron:' || j.id FROM _cron_jobs AS j WHERE j.name = _webhook_logs.cron_job)
WHERE source = 'cron' AND status IN ('pending', 'processing');
