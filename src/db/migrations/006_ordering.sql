-- Per-key ordering (docs/delivery.md). A delivery of a trigger with an orderingKey stores its key value;
-- deliveries of one target with the same key go one at a time, in commit (rowid) order.
-- A delivery captured while an earlier one of its key is unfinished waits "parked": pending,
-- with next_attempt_at at the far-future WAITING_FOR_KEY (deliveries/ordering.ts), so claims
-- never see it and a stuck key's backlog never fills their window. The triggers below make
-- the next one due when the one before it finishes — whichever path finishes it (an attempt,
-- a cancel, another instance) — and park rows that come back to pending behind an earlier one
-- (a release of held rows, a bulk retry). The claim also checks that no earlier delivery of
-- the key is unfinished, so order holds even where a row was not parked.
ALTER TABLE _webhook_logs ADD COLUMN ordering_key TEXT;

-- Only unfinished ordered rows, so it stays small and unordered deliveries never touch it.
CREATE INDEX IF NOT EXISTS _webhook_logs_ordering ON _webhook_logs (target, ordering_key)
  WHERE ordering_key IS NOT NULL AND status IN ('pending', 'processing', 'held');

CREATE TRIGGER IF NOT EXISTS _webhook_logs_ordering_next AFTER UPDATE OF status ON _webhook_logs
  WHEN OLD.ordering_key IS NOT NULL AND OLD.status IN ('pending', 'processing', 'held') AND NEW.status NOT IN ('pending', 'processing', 'held')
BEGIN
  UPDATE _webhook_logs SET next_attempt_at = NEW.updated_at
  WHERE rowid = (SELECT rowid FROM _webhook_logs INDEXED BY _webhook_logs_ordering
                 WHERE target = OLD.target AND ordering_key = OLD.ordering_key AND status IN ('pending', 'processing', 'held') ORDER BY rowid LIMIT 1)
    AND status = 'pending' AND next_attempt_at = '9999-12-31T23:59:59.999Z';
END;

CREATE TRIGGER IF NOT EXISTS _webhook_logs_ordering_gone AFTER DELETE ON _webhook_logs
  WHEN OLD.ordering_key IS NOT NULL AND OLD.status IN ('pending', 'processing', 'held')
BEGIN
  UPDATE _webhook_logs SET next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  WHERE rowid = (SELECT rowid FROM _webhook_logs INDEXED BY _webhook_logs_ordering
                 WHERE target = OLD.target AND ordering_key = OLD.ordering_key AND status IN ('pending', 'processing', 'held') ORDER BY rowid LIMIT 1)
    AND status = 'pending' AND next_attempt_at = '9999-12-31T23:59:59.999Z';
END;

CREATE TRIGGER IF NOT EXISTS _webhook_logs_ordering_park AFTER UPDATE OF status ON _webhook_logs
  WHEN NEW.ordering_key IS NOT NULL AND NEW.status = 'pending' AND OLD.status NOT IN ('pending', 'processing')
BEGIN
  UPDATE _webhook_logs SET next_attempt_at = '9999-12-31T23:59:59.999Z'
  WHERE rowid = NEW.rowid AND EXISTS (SELECT 1 FROM _webhook_logs INDEXED BY _webhook_logs_ordering
                 WHERE target = NEW.target AND ordering_key = NEW.ordering_key AND status IN ('pending', 'processing', 'held') AND rowid < NEW.rowid);
END;
