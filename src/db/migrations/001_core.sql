-- Settings (admin token hash, …) and the catalogue of collections.
CREATE TABLE IF NOT EXISTS _settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS _collections (
  id      TEXT PRIMARY KEY,
  name    TEXT NOT NULL UNIQUE,
  type    TEXT NOT NULL DEFAULT 'base',
  schema  TEXT NOT NULL DEFAULT '[]',
  options TEXT NOT NULL DEFAULT '{}',
  created TEXT NOT NULL,
  updated TEXT NOT NULL
);
