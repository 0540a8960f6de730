-- Claiming reads only the rows waiting to be sent and the leases that may have run out.
-- Partial indexes hold exactly those rows, so they stay small however long the log grows,
-- and a finished delivery leaves them for good instead of moving inside them. Queries name
-- them with INDEXED BY: the log-filter index on (status, created_at, …) also matches
-- "status = ?", and the planner, without statistics, preferred it and sorted.
DROP INDEX IF EXISTS _webhook_logs_due;
DROP INDEX IF EXISTS _webhook_logs_lease;
CREATE INDEX IF NOT EXISTS _webhook_logs_pending_due ON _webhook_logs (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS _webhook_logs_processing_lease ON _webhook_logs (lease_expires_at) WHERE status = 'processing';
