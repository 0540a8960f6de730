// `hookd restore FILE`: put a backup in place of an embedded database file. Refused while a
// hookd server uses that database (its heartbeat in _instances is fresh), and, without
// --force, when a database is already there. The copy is readied before it replaces anything:
// deliveries a dead server had claimed go back to pending, and its instance rows and job
// leases are dropped, so the first start resumes them at once instead of after their lease.
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import Database from "libsql";
import { CliError } from "../cli";
import { prepareDatabaseFile } from "../db/database_file";
import { MIGRATIONS } from "../db/migrations";
import { HEARTBEAT_MS, LIVE_BEATS } from "../dispatch/instance_registry";

/**
 * liveServer answers the id and heartbeat of a server using the database at `path`, or null:
 * one that beat within LIVE_BEATS heartbeats (a clean stop dates its row past that at once;
 * one killed outright counts as running for those 30 s).
 */
export function liveServer(path: string, now: Date): { id: string; heartbeatAt: string } | null {
  if (!existsSync(path) || statSync(path).size === 0) return null;
  const db = new Database(path, { readonly: true });
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = '_instances'").get();
    if (!hasTable) return null;
    const row = db
      .prepare("SELECT id, heartbeat_at FROM _instances WHERE heartbeat_at > ? ORDER BY heartbeat_at DESC LIMIT 1")
      .get(new Date(now.getTime() - LIVE_BEATS * HEARTBEAT_MS).toISOString()) as
      | { id: string; heartbeat_at: string }
      | undefined;
    return row ? { id: row.id, heartbeatAt: row.heartbeat_at } : null;
  } finally {
    db.close();
  }
}

/** checkBackupFile throws a CliError unless `file` is a hookd database this release can open. */
function checkBackupFile(file: string): void {
  if (!existsSync(file)) throw new CliError(`restore: ${file} does not exist`);
  let version: number;
  try {
    const db = new Database(file, { readonly: true });
    try {
      const ok = db.prepare("PRAGMA quick_check").get() as Record<string, unknown>;
      if (Object.values(ok)[0] !== "ok") throw new Error(`quick_check: ${Object.values(ok)[0]}`);
      version = Number((db.prepare("SELECT max(version) AS v FROM _migrations").get() as { v: number }).v);
    } finally {
      db.close();
    }
  } catch (err) {
    throw new CliError(`restore: ${file} is not a hookd database (${(err as Error).message})`);
  }
  const newest = Math.max(...MIGRATIONS.map((m) => m.version));
  if (version > newest)
    throw new CliError(
      `restore: ${file} was made by a newer hookd (schema ${version}; this one knows up to ${newest})`,
    );
}

/** readyForStart clears what belonged to the processes that used the database when it was copied. */
function readyForStart(path: string): void {
  const db = new Database(path);
  try {
    db.exec(`UPDATE _webhook_logs SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE status = 'processing';
             DELETE FROM _instances;
             UPDATE _jobs SET owner = NULL, lease_expires_at = NULL;`);
  } finally {
    db.close();
  }
}

/** restoreDatabase copies the backup `file` to the database file at `path`; answers what it did. */
export function restoreDatabase(file: string, path: string, force: boolean, now: Date): string {
  checkBackupFile(file);
  const server = liveServer(path, now);
  if (server)
    throw new CliError(
      `restore: a hookd server (instance ${server.id}) is using ${path} (its last heartbeat was at ${server.heartbeatAt}); stop it first`,
    );
  const replacing = existsSync(path) && statSync(path).size > 0;
  if (replacing && !force) throw new CliError(`restore: ${path} already holds a database; add --force to replace it`);
  try {
    prepareDatabaseFile(path);
  } catch (err) {
    throw new CliError(`restore: cannot write ${path}: ${(err as Error).message}`);
  }
  const staged = `${path}.restoring`;
  copyFileSync(file, staged);
  readyForStart(staged);
  // The replaced database's write-ahead log must not be read as the new one's.
  for (const suffix of ["-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  renameSync(staged, path);
  return replacing ? `restored ${file} over ${path}` : `restored ${file} to ${path}`;
}
