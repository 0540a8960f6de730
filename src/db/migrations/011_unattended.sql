-- Running unattended (docs/operating.md): per-target retry schedules, retryLimit made optional, and
-- standalone webhooks that subscribe to hookd's own operational events.
ALTER TABLE _webhooks ADD COLUMN retry_schedule TEXT;  -- JSON list of durations ("5s"); NULL: HOOKD_RETRY_SCHEDULE
ALTER TABLE _cron_jobs ADD COLUMN retry_schedule TEXT;
ALTER TABLE _webhooks ADD COLUMN events TEXT;          -- JSON list of operational event types; NULL: none

-- retryLimit 5 was the default and was stored on every target, chosen or not. It now reads as
-- unset (0 in these NOT NULL columns, left out of a trigger), so existing targets retry over
-- the whole schedule. Deliveries already queued keep the retry_limit written on their row.
UPDATE _webhooks SET retry_limit = 0 WHERE retry_limit = 5;
UPDATE _cron_jobs SET retry_limit = 0 WHERE retry_limit = 5;
UPDATE _collections SET options = json_set(options, '$.triggers', (
    SELECT json_group_array(CASE WHEN t.value ->> '$.retryLimit' = 5 THEN json_remove(t.value, '$.retryLimit') ELSE json(t.value) END)
    FROM json_each(_collections.options, '$.triggers') AS t))
  WHERE json_type(options, '$.triggers') = 'array';
