-- API keys (docs/security.md). Only the SHA-256 of a key is kept: keys are 32 random bytes, so a fast
-- hash is as good as a slow one and lets every request look its key up by index.
-- Revoking deletes the row; each instance re-reads a cached key at least every HOOKD_POLL_MS.
CREATE TABLE IF NOT EXISTS _api_keys (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  key_sha256  TEXT NOT NULL UNIQUE,
  scopes      TEXT NOT NULL,           -- JSON array of scope strings
  created     TEXT NOT NULL,
  last_used   TEXT,                    -- written at most once a minute per key and instance
  expires_at  TEXT                     -- ISO-8601; NULL never expires
);
