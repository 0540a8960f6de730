-- Attempt history (docs/operating.md) stores each attempt once. A delivery's latest attempt is its log
-- row's own columns (url, http_status, duration_ms, error_msg, response_body and, new here,
-- last_attempt_at: when it started); _webhook_attempts keeps the earlier ones, each moved
-- there by the trigger below in the statement that records the next attempt. A delivery that
-- succeeds at its first attempt, most of them, writes no history row at all: that insert, in
-- every delivery's record, was about 5 % of a draining hookd's main thread.
-- _webhook_attempt_history shows them together, numbered 1, 2, … in order.
ALTER TABLE _webhook_logs ADD COLUMN last_attempt_at TEXT;

-- A database of the previous release holds every attempt in _webhook_attempts, the latest
-- too (the same values as its log row): that one becomes the log row's.
UPDATE _webhook_logs SET last_attempt_at = (
    SELECT a.at FROM _webhook_attempts AS a WHERE a.delivery_id = _webhook_logs.id ORDER BY a.n DESC LIMIT 1)
  WHERE id IN (SELECT delivery_id FROM _webhook_attempts);
DELETE FROM _webhook_attempts
  WHERE (delivery_id, n) IN (SELECT delivery_id, max(n) FROM _webhook_attempts GROUP BY delivery_id);

DROP TRIGGER IF EXISTS _webhook_attempts_record;
-- Each recorded attempt raises tries (a retry resets it to 0 first, and then the attempt
-- raises it again), whoever writes it: the attempt it replaces moves to the history.
CREATE TRIGGER IF NOT EXISTS _webhook_attempts_record AFTER UPDATE OF tries ON _webhook_logs
WHEN NEW.tries > OLD.tries AND OLD.last_attempt_at IS NOT NULL
BEGIN
  INSERT INTO _webhook_attempts (delivery_id, n, at, url, http_status, duration_ms, error_msg, response_body)
  VALUES (OLD.id, coalesce((SELECT max(n) FROM _webhook_attempts WHERE delivery_id = OLD.id), 0) + 1,
          OLD.last_attempt_at, OLD.url, OLD.http_status, OLD.duration_ms, OLD.error_msg, OLD.response_body);
END;

-- A writer that raises tries without saying when the attempt started (a SQL shell, an older
-- hookd sharing the database) gets it worked out from when the attempt ended, as before.
CREATE TRIGGER IF NOT EXISTS _webhook_attempts_started AFTER UPDATE OF tries ON _webhook_logs
WHEN NEW.tries > OLD.tries AND NEW.last_attempt_at IS OLD.last_attempt_at
BEGIN
  UPDATE _webhook_logs SET last_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', NEW.updated_at, '-' || (coalesce(NEW.duration_ms, 0) / 1000.0) || ' seconds')
  WHERE rowid = NEW.rowid;
END;

CREATE VIEW IF NOT EXISTS _webhook_attempt_history AS
  SELECT delivery_id, n, at, url, http_status, duration_ms, error_msg, response_body FROM _webhook_attempts
  UNION ALL
  SELECT id AS delivery_id, coalesce((SELECT max(n) FROM _webhook_attempts WHERE delivery_id = _webhook_logs.id), 0) + 1 AS n,
         last_attempt_at AS at, url, http_status, duration_ms, error_msg, response_body
  FROM _webhook_logs WHERE last_attempt_at IS NOT NULL;
