// Backups of the embedded database in HOOKD_BACKUP_DIR (docs/operating.md): make one while hookd serves,
// list, read and delete them, keep the newest HOOKD_BACKUP_KEEP. A libSQL server or :memory:
// has no file to copy: making a backup there is a 409 that says what to do instead, and
// there are none to list or read.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { embeddedPath } from "../db/client";
import type { Deps } from "../deps";
import { ConflictError, fieldError, NotFoundError } from "../errors";
import { backupName, backupNameProblem } from "./backup_names";
import { writeSnapshot } from "./snapshot";

/** Backup is one backup file as the API lists it. */
export interface Backup {
  name: string;
  bytes: number;
  created: string;
}

type BackupDeps = Pick<Deps, "config" | "clock">;

/** SERVER_ADVICE says what to do when the database is a libSQL server. */
const SERVER_ADVICE =
  "hookd backs up an embedded database file; this one is a libSQL server (sqld): back up the server's data directory instead (see docs/operating.md, Backups)";

/** assertFileDatabase answers the database file's path, or throws a ConflictError when there is no file hookd can copy. */
export function assertFileDatabase(dbUrl: string): string {
  if (dbUrl === ":memory:")
    throw new ConflictError("the database is in memory (:memory:): there is no file to back up");
  if (!dbUrl.startsWith("file:")) throw new ConflictError(SERVER_ADVICE);
  return embeddedPath(dbUrl);
}

function backupDir(deps: BackupDeps): string {
  return resolve(deps.config.backupDir);
}

function pathOf(deps: BackupDeps, name: string): string {
  const problem = backupNameProblem(name);
  if (problem) throw fieldError("name", "invalid", problem);
  return join(backupDir(deps), name);
}

/** createBackup writes a consistent snapshot into HOOKD_BACKUP_DIR and answers it. */
export async function createBackup(deps: BackupDeps): Promise<Backup> {
  const from = assertFileDatabase(deps.config.dbUrl);
  const dir = backupDir(deps);
  mkdirSync(dir, { recursive: true });
  let at = deps.clock.now();
  // Two in one millisecond take the next free name.
  while (existsSync(join(dir, backupName(at)))) at = new Date(at.getTime() + 1);
  const name = backupName(at);
  await writeSnapshot(from, join(dir, name));
  return describe(deps, name);
}

/** hasFile tells whether the database is a file hookd backs up (reading is never refused: there is just nothing to read). */
function hasFile(deps: BackupDeps): boolean {
  return deps.config.dbUrl.startsWith("file:");
}

/** listBackups answers every backup in HOOKD_BACKUP_DIR, newest first (none where there is no database file). */
export function listBackups(deps: BackupDeps): Backup[] {
  if (!hasFile(deps)) return [];
  const dir = backupDir(deps);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => backupNameProblem(name) === null)
    .map((name) => describe(deps, name))
    .sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : a.name < b.name ? 1 : -1));
}

/** backupFile answers the path of a backup to read, or throws NotFoundError. */
export function backupFile(deps: BackupDeps, name: string): string {
  const path = pathOf(deps, name);
  if (!hasFile(deps) || !existsSync(path)) throw new NotFoundError(`backup "${name}"`);
  return path;
}

/** deleteBackup removes a backup, or throws NotFoundError. */
export function deleteBackup(deps: BackupDeps, name: string): void {
  rmSync(backupFile(deps, name));
}

/** pruneBackups deletes all but the newest `keep` backups; answers the names deleted. */
export function pruneBackups(deps: BackupDeps, keep: number): string[] {
  const old = listBackups(deps).slice(keep);
  for (const b of old) rmSync(join(backupDir(deps), b.name), { force: true });
  return old.map((b) => b.name);
}

function describe(deps: BackupDeps, name: string): Backup {
  const stat = statSync(join(backupDir(deps), name));
  return { name, bytes: stat.size, created: stat.mtime.toISOString() };
}
