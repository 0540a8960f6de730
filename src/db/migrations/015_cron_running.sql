-- Finding runs left "running" by a stopped instance (cron_runs.ts closeAbandonedRuns) is asked
-- on every scheduler reload; this index holds only the few running rows, so it costs nothing.
CREATE INDEX IF NOT EXISTS _cron_runs_running ON _cron_runs (lease_expires_at) WHERE status = 'running';
