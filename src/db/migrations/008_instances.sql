-- Instances that share this database, each with the outbound allow-list (HOOKD_ALLOW_NETS)
-- it runs with: instances that disagree say so, and a delivery one of them refuses is left
-- to an instance whose list allows its target instead of being failed.
CREATE TABLE IF NOT EXISTS _instances (
  id TEXT PRIMARY KEY,
  allow_nets TEXT NOT NULL,
  started_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);
-- The instance whose own allow-list last refused a pending delivery's target: its claims
-- pass the row by, so another instance takes it.
ALTER TABLE _webhook_logs ADD COLUMN refused_by TEXT;
